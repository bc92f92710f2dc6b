import PlatformContracts

/// Which replica supervises an instance: the holder's replica id and the fencing token of its
/// claim. Every claim raises the token, and every write the supervisor makes checks it in its
/// own transaction (``InstanceRepository/checkLease(_:_:)``), so a replica that lost an
/// instance (it stalled past its lease and another took over) can no longer write it.
struct InstanceLease: Sendable, Equatable {
    /// The replica id (`--replica-id`).
    var holder: String
    /// The fencing token: raised by every claim.
    var fence: Int64
}

/// A stop asked of a replica that does not supervise the instance: kept on the row
/// (`stop_request`) until the holder acts on it, which it does when told (`NOTIFY
/// platform_instances`) or at its next lease renewal, or whoever takes the instance over.
struct InstanceStopRequest: Codable, Sendable, Equatable {
    var cause: StopCause
    var message: String
    /// Who asked (`nil`: the platform), for the audit record the holder writes.
    var actor: String?
    var requestID: String?
    /// Added to the `apps.instance.stop` record.
    var details: [String: String] = [:]
}

/// The supervisor's write lost the race with another replica's claim: the instance is no
/// longer this replica's to write.
struct InstanceLeaseLost: Error, CustomStringConvertible {
    var instance: String
    var holder: String?
    var description: String {
        "instance \(instance) is supervised by \(holder ?? "no replica") now; this replica's lease on it is gone"
    }
}

/// How one replica's supervisor sees its leases: what a renewal returned for one held instance.
struct RenewedLease: Sendable {
    var fence: Int64
    var stopRequest: InstanceStopRequest?
}

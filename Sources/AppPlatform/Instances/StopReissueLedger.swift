import PlatformContracts

/// When this process last sent a stop to each workload, so that a stop lost to a crash or a
/// failed adapter call is sent again, but not on every poll while a sent one is still within
/// its grace period. Kept by ``InstanceSupervisor`` (actor state, so no lock of its own).
struct StopReissueLedger: Sendable {
    /// How long a sent stop is given before it is sent again, beyond the stop grace itself.
    static let marginMs: Int64 = 5000

    /// The grace a stop gives the workload (``InstanceService/Settings/stopGrace``).
    let graceMs: Int64
    private var sentAtMs: [String: Int64] = [:]

    init(grace: Duration) {
        graceMs = grace.wholeMilliseconds
    }

    /// A stop was sent to `instance` at `nowMs`.
    mutating func sent(_ instance: String, atMs nowMs: Int64) {
        sentAtMs[instance] = nowMs
    }

    /// Whether a stop should be sent to `instance` now: none was sent by this process, or the
    /// last is older than the grace plus ``marginMs``. When it should, it counts as sent.
    mutating func claimIfOverdue(_ instance: String, nowMs: Int64) -> Bool {
        if let sent = sentAtMs[instance], nowMs < sent + graceMs + Self.marginMs { return false }
        sentAtMs[instance] = nowMs
        return true
    }

    /// Forgets a finished instance.
    mutating func forget(_ instance: String) {
        sentAtMs[instance] = nil
    }
}

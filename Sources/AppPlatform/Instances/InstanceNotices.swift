import PlatformContracts

/// The notification an instance's new phase announces, if any: `instance.ready` when it
/// becomes ready, `instance.failed` when it fails. ``InstanceRepository/appendEvent(_:message:at:audit:creating:)``
/// writes it to the outbox in the phase change's own transaction, so the notice exists if and
/// only if the phase it announces was committed.
enum InstanceNotices {
    /// The event for `row`'s current phase and its dedupe key (`<instance id>/<phase>`): a
    /// phase is entered once, so a second write of the same key (a retried transaction) is
    /// the same notice and is dropped. `nil` for phases nobody is told about.
    /// - Parameters:
    ///   - row: The row as the transaction writes it.
    ///   - at: The phase change's time (RFC 3339), the event's `occurredAt`.
    static func notice(for row: InstanceRow, at: String) -> (event: NotificationEvent, dedupeKey: String)? {
        let template: String
        var variables = ["app": row.app, "instance": row.id]
        switch row.phase {
        case .ready:
            template = "instance.ready"
            variables["url"] = url(of: row)
        case .failed(let reason):
            template = "instance.failed"
            variables["reason"] = reason.rawValue
        default:
            return nil
        }
        let event = NotificationEvent(
            template: template, project: row.projectId, tenant: row.tenantId, recipients: [row.launchedBy], variables: variables,
            occurredAt: Timestamp(rfc3339: at) ?? .now())
        return (event, "\(row.id)/\(row.phase.name)")
    }

    /// The first endpoint's URL; an instance without a reachable endpoint is named by its API path.
    private static func url(of row: InstanceRow) -> String {
        row.record.endpoints.lazy.compactMap(\.url).first ?? "/v1/projects/\(row.projectId)/instances/\(row.id)"
    }
}

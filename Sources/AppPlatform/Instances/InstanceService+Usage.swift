import PlatformContracts

extension InstanceService {
    /// What metering recorded for one instance: totals per unit over its whole intervals
    /// (and the last partial one once it ended).
    /// - Throws: ``ErrorCode/instanceNotFound`` for an instance out of the caller's reach.
    public func usage(project reference: String, id: String, visibleTo caller: Caller) async throws -> InstanceUsage {
        let row = try await row(project: reference, id: id, caller: caller)
        // Event ids are `<instance>/<unit>/<interval>` (see `meter`).
        let events = try await usage.events(project: row.projectId, source: "apps.instances", idPrefix: "\(row.id)/")
        var totals: [String: InstanceUsage.Total] = [:]
        for event in events {
            totals[event.unit, default: .init(unit: event.unit, quantity: 0, intervals: 0)].quantity += event.quantity
            totals[event.unit]?.intervals += 1
        }
        return InstanceUsage(instance: row.id, project: row.projectId, totals: totals.values.sorted { $0.unit < $1.unit },
                             recordedThrough: events.map(\.occurredAt).max())
    }
}

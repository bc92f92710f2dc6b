import PlatformContracts

/// Turns an instance's running time into usage events: `app-runtime.second` and
/// `gpu.second` per whole metering interval since it started running (and the partial last
/// one when it ends). Keys are `<instance>/<unit>/<interval>`, derived only from persisted
/// times, so a restarted server re-emits identical events, which the metering log takes as
/// no-ops.
struct UsageMeter: Sendable {
    let usage: any UsageRecorder
    /// Length of one interval in milliseconds.
    let intervalMs: Int64

    /// Records the intervals of `row` not yet recorded, up to `end` (ms since the epoch).
    /// - Returns: The new `meteredThrough` (intervals recorded), or `nil` when nothing was due.
    func meter(_ row: InstanceRow, through end: Int64, final: Bool, alreadyThrough: Int) async throws -> Int? {
        guard let start = row.runningSinceMs, end > start, intervalMs > 0 else { return nil }
        let whole = Int((end - start) / intervalMs)
        let upTo = final && (end - start) % intervalMs != 0 ? whole + 1 : whole
        let from = max(row.meteredThrough, alreadyThrough)
        guard upTo > from else { return nil }
        for index in from..<upTo {
            let intervalStart = start + Int64(index) * intervalMs
            let intervalEnd = min(end, intervalStart + intervalMs)
            let seconds = (intervalEnd - intervalStart + 500) / 1000
            let at = Timestamp(millisecondsSinceEpoch: UInt64(intervalEnd))
            var units: [(String, Int64)] = [("app-runtime.second", seconds)]
            if row.gpuCount > 0 { units.append(("gpu.second", seconds * Int64(row.gpuCount))) }
            for (unit, quantity) in units where quantity > 0 {
                try await usage.record(UsageEvent(source: "apps.instances", id: "\(row.id)/\(unit)/\(index)", unit: unit,
                                                  quantity: quantity, tenant: row.tenantId, project: ProjectID(row.projectId),
                                                  product: "apps", app: row.app, instance: row.id, occurredAt: at))
            }
        }
        return upTo
    }

    /// What was recorded for one instance: totals per unit over its recorded intervals.
    func totals(of row: InstanceRow) async throws -> InstanceUsage {
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

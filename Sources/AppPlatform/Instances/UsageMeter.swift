import PlatformContracts
import RuntimeKit

/// Turns an instance's running time into usage events (source `apps`) in the units it was
/// admitted with (``InstanceMetering``): its runtime unit (`app-runtime-hour`, none for a
/// consumption-billed app) and `gpu-hour.<model>` (GPU-seconds), per whole metering interval
/// since it started running (and the partial last one when it ends), both of precision 3600,
/// so quantities are seconds. Keys are `<instance>/<unit>/<interval>`, derived only from
/// persisted times and units, so a restarted server re-emits identical events, which the
/// metering log takes as no-ops.
struct UsageMeter: Sendable {
    /// The product the app platform's usage is emitted as (`products.yaml`; owner of its units).
    static let source = "apps"

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
            let metering = row.metering ?? .legacy(gpuModel: row.spec.gpus.model)
            var units: [(String, Int, Int64)] = []
            if let runtime = metering.runtimeUnit { units.append((runtime, metering.runtimeVersion, seconds)) }
            if row.gpuCount > 0 { units.append((metering.gpuUnit, metering.gpuVersion, seconds * Int64(row.gpuCount))) }
            let events = units.filter { $0.2 > 0 }.map { unit, version, quantity in
                UsageEvent(source: Self.source, id: "\(row.id)/\(unit)/\(index)", unit: unit, unitVersion: version, quantity: quantity,
                           tenant: row.tenantId, project: ProjectID(row.projectId), product: Self.source, app: row.app, instance: row.id,
                           occurredAt: at)
            }
            // One interval's events in one batch: stored together or not at all.
            if !events.isEmpty { _ = try await usage.ingest(events) }
        }
        return upTo
    }

    /// What was recorded for one instance: totals per unit over its recorded intervals.
    func totals(of row: InstanceRow) async throws -> InstanceUsage {
        let events = try await usage.events(project: row.projectId, source: Self.source, idPrefix: "\(row.id)/")
        var totals: [String: InstanceUsage.Total] = [:]
        for event in events {
            totals[event.unit, default: .init(unit: event.unit, quantity: 0, intervals: 0)].quantity += event.quantity
            totals[event.unit]?.intervals += 1
        }
        return InstanceUsage(instance: row.id, project: row.projectId, totals: totals.values.sorted { $0.unit < $1.unit },
                             recordedThrough: events.map(\.occurredAt).max())
    }
}

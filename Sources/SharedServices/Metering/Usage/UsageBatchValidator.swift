import PlatformContracts

/// The checks a usage batch passes before anything of it is stored: everything that can be
/// decided from the batch and the unit registry alone. What needs the store (conflicts,
/// corrections, closed periods) is checked by ``UsageEventLog`` inside the transaction.
///
/// A batch is refused whole: a product re-sends the corrected batch, and the events that
/// were fine come back as `duplicate` then, so refusing is never lossy.
struct UsageBatchValidator {
    /// The most events one batch may carry: bounds the transaction and the request body.
    static let maximumBatch = 1000
    /// How far ahead of the server's clock `occurred_at` may be (clock skew, not the future).
    static let futureSkewMs: UInt64 = 5 * 60 * 1000

    let units: UsageUnitRegistry
    let lateWindowMs: UInt64
    let now: Timestamp

    /// - Throws: `usage.batch_invalid`, `usage.unit_unknown`, `usage.unit_not_owned` or
    ///   `usage.too_late`, naming the first offending event.
    func check(_ events: [UsageEvent]) throws(PlatformError) {
        guard events.count <= Self.maximumBatch else {
            throw PlatformError(.usageBatchInvalid, "a usage batch carries at most \(Self.maximumBatch) events, not \(events.count)",
                                details: ["count": String(events.count)])
        }
        var seen = Set<String>()
        for event in events {
            let key = event.source + "\u{0}" + event.id
            guard seen.insert(key).inserted else {
                throw invalid(event, "appears twice in the batch")
            }
            try check(event)
        }
    }

    private func check(_ event: UsageEvent) throws(PlatformError) {
        guard !event.id.isEmpty, !event.source.isEmpty else { throw invalid(event, "needs a source and an id") }
        guard !event.tenant.isEmpty, !event.project.rawValue.isEmpty else { throw invalid(event, "needs a tenant and a project") }
        guard event.quantity >= 0 else { throw invalid(event, "has a negative quantity \(event.quantity); send a correction instead") }
        // Only active units: a deprecated one has no price (rating would hold it queued for
        // ever), so its producer is told to record the unit that replaces it.
        guard let unit = units.unit(event.unit), unit.lifecycle == .active, !isFamily(unit.unitId) else {
            throw PlatformError(.usageUnitUnknown, "usage event \(event.id): \(event.unit) is not a unit that may be recorded"
                                + (units.unit(event.unit).map(refusal(of:)) ?? ""),
                                details: ["id": event.id, "unit": event.unit])
        }
        guard unit.version == event.unitVersion else {
            throw PlatformError(.usageUnitUnknown, "usage event \(event.id): \(event.unit) is at version \(unit.version), not \(event.unitVersion)",
                                details: ["id": event.id, "unit": event.unit, "version": String(event.unitVersion)])
        }
        guard unit.owner == event.source else {
            throw PlatformError(.usageUnitNotOwned, "usage event \(event.id): \(event.unit) is owned by \(unit.owner), not by \(event.source)",
                                details: ["id": event.id, "unit": event.unit, "owner": unit.owner, "source": event.source])
        }
        let at = event.occurredAt.millisecondsSinceEpoch
        guard at <= now.millisecondsSinceEpoch + Self.futureSkewMs else {
            throw invalid(event, "occurred at \(event.occurredAt.rfc3339), more than 5 minutes after the server's clock")
        }
        guard at + lateWindowMs >= now.millisecondsSinceEpoch else {
            throw PlatformError(.usageTooLate, "usage event \(event.id) occurred at \(event.occurredAt.rfc3339), before the late window "
                                + "(\(lateWindowMs / 1000) s) ends; usage that old is not accepted",
                                details: ["id": event.id, "occurred_at": event.occurredAt.rfc3339])
        }
    }

    private func refusal(of unit: UsageUnitDefinition) -> String {
        if isFamily(unit.unitId) { return " (it is a family; record one of its members)" }
        if unit.lifecycle == .deprecated { return " (deprecated; record \(unit.replacedBy ?? "its replacement") instead)" }
        return " (retired)"
    }

    /// A unit other units extend (`gpu-hour` of `gpu-hour.h100`): it names the family in
    /// manifests and totals, but usage is always recorded per member.
    private func isFamily(_ id: String) -> Bool {
        units.units.contains { $0.unitId.hasPrefix(id + ".") }
    }

    private func invalid(_ event: UsageEvent, _ reason: String) -> PlatformError {
        PlatformError(.usageBatchInvalid, "usage event \(event.source)/\(event.id) \(reason)", details: ["source": event.source, "id": event.id])
    }
}

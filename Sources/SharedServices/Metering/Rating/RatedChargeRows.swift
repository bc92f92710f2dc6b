import PlatformContracts
import SQLKit

/// `billing_rated_charges`: inserted by rating, never updated or deleted (a correction adds a
/// reversal row). `UNIQUE (event_source, event_id, kind)` makes a second rating of the same
/// event impossible even if the queue row were somehow claimed twice.
enum RatedChargeRows {
    /// Inserts one rated charge.
    static func insert(_ charge: RatedCharge, recordedMs: Int64, in db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO billing_rated_charges
              (id, kind, reverses, event_source, event_id, tenant_id, project_id, product, app, instance_id, unit, unit_version, quantity,
               currency, amount, asset_scale, price_book_version, unit_price, plan, policy_snapshot, occurred_at, period, adjustment_for,
               entry_id, rated_at, rated_ms, recorded_ms)
            VALUES (\(bind: charge.id), \(bind: charge.kind.rawValue), \(bind: charge.reverses), \(bind: charge.eventSource), \(bind: charge.eventId),
                    \(bind: charge.tenant), \(bind: charge.project), \(bind: charge.product), \(bind: charge.app), \(bind: charge.instance),
                    \(bind: charge.unit), \(bind: charge.unitVersion), \(bind: charge.quantity), \(bind: charge.amount.currency),
                    \(bind: charge.amount.amount), \(bind: charge.amount.scale), \(bind: charge.priceBookVersion), \(bind: charge.unitPrice),
                    \(bind: charge.plan), \(bind: charge.policySnapshot), \(bind: charge.occurredAt.rfc3339), \(bind: charge.period.description),
                    \(bind: charge.adjustmentFor?.description), \(bind: charge.entryId), \(bind: charge.ratedAt.rfc3339),
                    \(bind: Int64(charge.ratedAt.millisecondsSinceEpoch)), \(bind: recordedMs))
            """).run()
    }

    /// The columns of ``row(_:recordedMs:)``, for multi-row inserts.
    static let columns = [
        "id", "kind", "reverses", "event_source", "event_id", "tenant_id", "project_id", "product", "app", "instance_id", "unit", "unit_version",
        "quantity", "currency", "amount", "asset_scale", "price_book_version", "unit_price", "plan", "policy_snapshot", "occurred_at", "period",
        "adjustment_for", "entry_id", "rated_at", "rated_ms", "recorded_ms",
    ]

    /// One charge's values in ``columns`` order.
    static func row(_ charge: RatedCharge, recordedMs: Int64) -> [any Encodable & Sendable] {
        [charge.id, charge.kind.rawValue, charge.reverses, charge.eventSource, charge.eventId, charge.tenant, charge.project, charge.product,
         charge.app, charge.instance, charge.unit, charge.unitVersion, charge.quantity, charge.amount.currency, charge.amount.amount,
         charge.amount.scale, charge.priceBookVersion, charge.unitPrice, charge.plan, charge.policySnapshot, charge.occurredAt.rfc3339,
         charge.period.description, charge.adjustmentFor?.description, charge.entryId, charge.ratedAt.rfc3339,
         Int64(charge.ratedAt.millisecondsSinceEpoch), recordedMs]
    }

    /// The `usage.rated` notice announcing a charge (webhook; dedupe key `usage.rated/<charge id>`).
    static func notice(_ charge: RatedCharge) -> NotificationEvent {
        NotificationEvent(
            template: "usage.rated", project: charge.project, tenant: charge.tenant, recipients: [],
            variables: ["charge": charge.id, "event": charge.eventId, "source": charge.eventSource, "project": charge.project,
                        "unit": charge.unit, "quantity": String(charge.quantity), "amount": charge.amount.display,
                        "currency": charge.amount.currency, "period": charge.period.description,
                        "price_book_version": String(charge.priceBookVersion)],
            occurredAt: charge.ratedAt)
    }

    /// Whether the event already has a rated charge of `kind`.
    static func exists(source: String, event: String, kind: JournalEntryKind, in db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT id FROM billing_rated_charges WHERE event_source = \(bind: source) AND event_id = \(bind: event) AND kind = \(bind: kind.rawValue)
            """).first() != nil
    }

    /// The charge currently in effect for the correction chain `event` belongs to: the chain is
    /// the first event of `source` and every event correcting one of its members; the charge in
    /// effect is a member's `charge` that no reversal undoes yet (at most one, since each
    /// correction reverses the one in effect before it charges).
    static func effectiveCharge(ofChainOf event: String, source: String, in db: any SQLDatabase) async throws -> RatedCharge? {
        let members = try await chain(of: event, source: source, in: db)
        let rows = try await db.select().columns("*").from("billing_rated_charges")
            .where("event_source", .equal, source).where("event_id", .in, Array(members)).all()
        let charges = try rows.map(decode)
        let reversed = Set(charges.compactMap(\.reverses))
        return charges.filter { $0.kind == .charge && !reversed.contains($0.id) }.max { $0.ratedAt < $1.ratedAt }
    }

    /// The ids of `source` in `event`'s correction chain: its first event (followed up through
    /// `corrects`) and every event that corrects a member, transitively.
    static func chain(of event: String, source: String, in db: any SQLDatabase) async throws -> Set<String> {
        let root = try await ancestors(of: event, source: source, in: db).last ?? event
        return try await descendants(of: [root], source: source, in: db).union([root])
    }

    /// The events `event` corrects, nearest first (the chain's first event last).
    static func ancestors(of event: String, source: String, in db: any SQLDatabase) async throws -> [String] {
        var current = event
        var seen: Set<String> = [event]
        var result: [String] = []
        while let row = try await db.raw("SELECT corrects FROM metering_usage_events WHERE source = \(bind: source) AND id = \(bind: current)").first(),
              let parent = try row.decode(column: "corrects", as: String?.self), seen.insert(parent).inserted {
            result.append(parent)
            current = parent
        }
        return result
    }

    /// Every event that corrects one of `events`, transitively (not `events` themselves).
    static func descendants(of events: [String], source: String, in db: any SQLDatabase) async throws -> Set<String> {
        var found: Set<String> = []
        var frontier = events
        while !frontier.isEmpty {
            let rows = try await db.select().column("id").from("metering_usage_events")
                .where("source", .equal, source).where("corrects", .in, frontier).all()
            frontier = try rows.map { try $0.decode(column: "id", as: String.self) }.filter { found.insert($0).inserted && !events.contains($0) }
        }
        return found
    }

    /// One row as a ``RatedCharge``.
    static func decode(_ row: any SQLRow) throws -> RatedCharge {
        func time(_ column: String) throws -> Timestamp {
            Timestamp(rfc3339: try row.decode(column: column, as: String.self)) ?? Timestamp(millisecondsSinceEpoch: 0)
        }
        let currency = try row.decode(column: "currency", as: String.self)
        let scale = try row.decode(column: "asset_scale", as: Int.self)
        return RatedCharge(
            id: try row.decode(column: "id", as: String.self),
            kind: JournalEntryKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .charge,
            reverses: try row.decode(column: "reverses", as: String?.self),
            eventSource: try row.decode(column: "event_source", as: String.self), eventId: try row.decode(column: "event_id", as: String.self),
            tenant: try row.decode(column: "tenant_id", as: String.self), project: try row.decode(column: "project_id", as: String.self),
            product: try row.decode(column: "product", as: String.self), app: try row.decode(column: "app", as: String?.self),
            instance: try row.decode(column: "instance_id", as: String?.self), unit: try row.decode(column: "unit", as: String.self),
            unitVersion: try row.decode(column: "unit_version", as: Int.self), quantity: try row.decode(column: "quantity", as: Int64.self),
            amount: Money(currency: currency, amount: try row.decode(column: "amount", as: Int64.self), scale: scale),
            priceBookVersion: try row.decode(column: "price_book_version", as: Int.self),
            unitPrice: try row.decode(column: "unit_price", as: Int64.self), plan: try row.decode(column: "plan", as: String.self),
            policySnapshot: try row.decode(column: "policy_snapshot", as: String.self), occurredAt: try time("occurred_at"),
            period: try BillingPeriod(try row.decode(column: "period", as: String.self)),
            adjustmentFor: try row.decode(column: "adjustment_for", as: String?.self).map { try BillingPeriod($0) },
            entryId: try row.decode(column: "entry_id", as: String.self), ratedAt: try time("rated_at"))
    }
}

import Foundation
@testable import MeteringService
import PlatformContracts
import PlatformStore
import SQLKit

/// Usage of two tenants' projects, ingested through the usage log and rated by the rating
/// worker, on a manual clock starting 2026-12-01T06:00:00Z (November has ended; its late
/// usage is still inside the 72 h window).
struct StatementFixture {
    static let start = Timestamp(rfc3339: "2026-12-01T06:00:00Z")!
    static let units = LedgerPropertyTests.units

    let ledger: LedgerFixture
    let clock: ManualClock
    let log: UsageEventLog
    let audit: RecordingAuditor
    let billing: BillingService

    init(_ ledger: LedgerFixture, start: Timestamp = Self.start) {
        self.ledger = ledger
        let clock = ManualClock(start: start)
        self.clock = clock
        log = UsageEventLog(store: ledger.store, units: Self.units, lateWindow: .seconds(72 * 3600), now: { clock.now() })
        audit = RecordingAuditor()
        var billing = BillingService(store: ledger.store, policy: LedgerPolicy.fixed(), audit: audit, clock: clock, logger: ledger.logger)
        billing.units = Self.units
        self.billing = billing
    }

    /// An event of `unit` (source `apps` with app `shop`, or `token-factory` without an app).
    static func event(_ id: String, _ unit: String, _ quantity: Int64, tenant: String = "acme", project: String = "acme-web",
                      app: String? = "shop", instance: String? = "i1", at: String, corrects: String? = nil) -> UsageEvent {
        let source = unit == "inference.token" ? "token-factory" : "apps"
        return UsageEvent(source: source, id: id, unit: unit, quantity: quantity, tenant: tenant, project: ProjectID(project), product: source,
                          app: source == "apps" ? app : nil, instance: source == "apps" ? instance : nil,
                          occurredAt: Timestamp(rfc3339: at)!, corrects: corrects)
    }

    @discardableResult
    func ingest(_ events: [UsageEvent]) async throws -> UsageIngestReport { try await log.ingest(events) }

    /// Rates everything queued.
    @discardableResult
    func rate() async throws -> RatingWorker.Pass {
        try await RatingWorker(store: ledger.store, policy: LedgerPolicy.fixed(), units: Self.units, clock: clock, logger: ledger.logger)
            .rateQueued()
    }

    /// `statement.closed` intents in the outbox: (dedupe key, payload).
    func statementNotices() async throws -> [(key: String, event: NotificationEvent)] {
        try await ledger.store.read { db in
            try await db.raw("""
                SELECT dedupe_key, payload FROM \(ident: OutboxSchema.table)
                WHERE dedupe_key LIKE 'statement.closed/%' ORDER BY dedupe_key
                """).all().map { row in
                (try row.decode(column: "dedupe_key", as: String.self),
                 try JSONDecoder().decode(NotificationEvent.self, from: Data(try row.decode(column: "payload", as: String.self).utf8)))
            }
        }
    }
}

import Foundation
@testable import MeteringService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// Statements and the usage summary over usage the rating worker rated (issue 19, point 7):
/// lines per project, unit and app; adjustments apart; a close that stores the document with
/// its digest once, audits it and announces it per project; the closer's timing.
@Suite("Statements and usage summary")
struct StatementTests {
    /// Runtime 5400 s + 1800 s of shop (one line: 2 h at 0.10), a GPU hour of trainer on
    /// acme-ml (2.50), 3000 tokens (3 units at 0.002) with no app, and another tenant's hour.
    static let december = [
        StatementFixture.event("r1", "app-runtime-hour", 5400, at: "2026-12-01T01:00:00Z"),
        StatementFixture.event("r2", "app-runtime-hour", 1800, at: "2026-12-01T02:00:00Z"),
        StatementFixture.event("g1", "gpu-hour.h100", 3600, project: "acme-ml", app: "trainer", instance: "i2", at: "2026-12-01T03:00:00Z"),
        StatementFixture.event("t1", "inference.token", 3000, at: "2026-12-01T04:00:00Z"),
        StatementFixture.event("o1", "app-runtime-hour", 3600, tenant: "other", project: "other-web", at: "2026-12-01T04:00:00Z"),
    ]

    @Test("an open statement has a line per project, unit and app, corrections netted", arguments: ServerBackend.enabled)
    func openStatementHasALinePerProjectUnitAndApp(_ backend: ServerBackend) async throws {
        try await withLedgerStore(backend) { ledger in
            let fixture = StatementFixture(ledger)
            try await fixture.ingest(Self.december)
            try await fixture.rate()
            // r2 (1800 s) corrected to 3600 s: a reversal and a new charge on the same line.
            try await fixture.ingest([StatementFixture.event("r2b", "app-runtime-hour", 3600, at: "2026-12-01T02:00:00Z", corrects: "r2")])
            try await fixture.rate()
            let statement = try await fixture.billing.statement(tenant: "acme", period: try BillingPeriod("2026-12"))
            #expect(statement.status == .open && statement.closedAt == nil && statement.digest == nil)
            let lines = statement.lines.map { "\($0.project) \($0.unit) \($0.app) \($0.displayQuantity) \($0.amount.display) \($0.charges)" }
            #expect(lines == [
                "acme-ml gpu-hour.h100 trainer 1.000000 2.500000 1",
                "acme-web app-runtime-hour shop 2.500000 0.250000 4",
                "acme-web inference.token - 3.000000 0.006000 1",
            ])
            #expect(statement.total == Money(currency: "USD", amount: 2_756_000, scale: 6))
            #expect(statement.creditApplied.amount == 0)
            let csv = StatementCSV.render(statement)
            #expect(csv.contains("acme,2026-12,open,line,acme-web,app-runtime-hour,shop,,9000,2.500000,4,USD,250000,0.250000\r\n"))
            #expect(csv.hasSuffix("acme,2026-12,open,total,,,,,,,,USD,2756000,2.756000\r\n"))
            // A period that has not started has no statement.
            await #expect(throws: PlatformError.self) { try await fixture.billing.statement(tenant: "acme", period: try BillingPeriod("2027-01")) }
        }
    }

    @Test("promotional credit the period's charges used is on the statement", arguments: ServerBackend.enabled)
    func creditAppliedIsThePromotionalCreditThePeriodUsed(_ backend: ServerBackend) async throws {
        try await withLedgerStore(backend) { ledger in
            let fixture = StatementFixture(ledger)
            try await ledger.post("credit/1", tenant: "acme", LedgerFixture.grant("acme", 1_000_000))
            try await fixture.ingest(Self.december)
            try await fixture.rate()
            let statement = try await fixture.billing.statement(tenant: "acme", period: try BillingPeriod("2026-12"))
            #expect(statement.creditApplied == Money(currency: "USD", amount: 1_000_000, scale: 6))
            // The total is what was charged; the credit is shown beside it, not netted into it.
            #expect(statement.total.amount == 2_706_000)
        }
    }

    @Test("a close stores the document and its digest once, audits it, announces it per project; late usage is an adjustment",
          arguments: ServerBackend.enabled)
    func closeIsStoredOnceAuditedAnnouncedAndLateUsageIsAnAdjustment(_ backend: ServerBackend) async throws {
        try await withLedgerStore(backend) { ledger in
            let fixture = StatementFixture(ledger)
            let november = try BillingPeriod("2026-11")
            try await fixture.ingest([
                StatementFixture.event("n1", "app-runtime-hour", 3600, at: "2026-11-30T20:00:00Z"),
                StatementFixture.event("n2", "gpu-hour.h100", 1800, project: "acme-ml", app: "trainer", at: "2026-11-30T21:00:00Z"),
            ])
            try await fixture.rate()
            let closed = try await fixture.billing.closeStatement(tenant: "acme", period: november, by: "usr_admin")
            #expect(closed.status == .closed && closed.closedAt == fixture.clock.now() && closed.lines.count == 2)
            let (document, digest) = try ClosedStatements.document(closed)
            #expect(closed.digest == digest && digest.count == 64)
            let stored = try await ledger.store.read { db in
                try await db.raw("SELECT document, digest FROM billing_statements WHERE tenant_id = 'acme' AND period = '2026-11'").first()
            }
            #expect(try stored?.decode(column: "document", as: String.self) == document)
            #expect(ClosedStatements.digest(Data(document.utf8)) == digest)

            // Late November usage lands on December as an adjustment; November does not change.
            await fixture.clock.advance(by: .seconds(3600))
            let report = try await fixture.ingest([StatementFixture.event("n3", "app-runtime-hour", 1800, at: "2026-11-30T22:00:00Z")])
            #expect(report.results.map(\.outcome) == [.adjustment])
            try await fixture.rate()
            let again = try await fixture.billing.closeStatement(tenant: "acme", period: november, by: "usr_admin")
            #expect(again == closed)
            #expect(try await fixture.billing.statement(tenant: "acme", period: november) == closed)
            let december = try await fixture.billing.statement(tenant: "acme", period: try BillingPeriod("2026-12"))
            #expect(december.lines.map { "\($0.project) \($0.unit) \($0.adjustmentFor?.description ?? "-") \($0.displayQuantity)" }
                    == ["acme-web app-runtime-hour 2026-11 0.500000"])

            // Audited once; one notice per project, to webhooks and the closing admin.
            #expect(fixture.audit.recorded.filter { $0.action == "billing.statement.close" }.map(\.target) == ["statement/acme/2026-11"])
            let notices = try await fixture.statementNotices()
            #expect(notices.map(\.key) == ["statement.closed/acme/2026-11/acme-ml", "statement.closed/acme/2026-11/acme-web"])
            #expect(notices.map { $0.event.variables["amount"] } == ["1.250000", "0.100000"])
            #expect(notices.allSatisfy { $0.event.template == "statement.closed" && $0.event.recipients == ["usr_admin"]
                && $0.event.variables["digest"] == digest })

            // December has not ended: it cannot close.
            await #expect(throws: PlatformError.self) {
                try await fixture.billing.closeStatement(tenant: "acme", period: try BillingPeriod("2026-12"), by: "usr_admin")
            }
        }
    }

    @Test("the closer closes an ended month once, only after the delay, announcing to webhooks only", arguments: ServerBackend.enabled)
    func closerClosesEndedPeriodsAfterTheDelay(_ backend: ServerBackend) async throws {
        try await withLedgerStore(backend) { ledger in
            let fixture = StatementFixture(ledger, start: Timestamp(rfc3339: "2026-12-01T00:30:00Z")!)
            try await fixture.ingest([
                StatementFixture.event("n1", "app-runtime-hour", 3600, at: "2026-11-30T20:00:00Z"),
                StatementFixture.event("d1", "app-runtime-hour", 3600, at: "2026-12-01T00:10:00Z"),
            ])
            try await fixture.rate()
            let closer = StatementCloser(billing: fixture.billing, delay: .seconds(3600), clock: fixture.clock, logger: ledger.logger)
            // 00:30: November ended 30 min ago, inside the delay.
            #expect(try await closer.sweep().isEmpty)
            await fixture.clock.advance(by: .seconds(3600))
            let closed = try await closer.sweep()
            #expect(closed.map { "\($0.tenant) \($0.period)" } == ["acme 2026-11"])
            #expect(closed.first?.lines.count == 1)
            #expect(try await closer.sweep().isEmpty)
            #expect(try await fixture.statementNotices().map { $0.event.recipients } == [[]])
        }
    }

    @Test("the usage summary groups by unit, app, instance and day with rated amounts and the unrated count",
          arguments: ServerBackend.enabled)
    func usageSummaryGroupsWithRatedAmountsAndUnratedCount(_ backend: ServerBackend) async throws {
        try await withLedgerStore(backend) { ledger in
            let fixture = StatementFixture(ledger)
            try await fixture.ingest(Self.december)
            try await fixture.rate()
            try await fixture.ingest([
                StatementFixture.event("r2b", "app-runtime-hour", 3600, at: "2026-12-01T02:00:00Z", corrects: "r2"),
                StatementFixture.event("r3", "app-runtime-hour", 3600, instance: "i3", at: "2026-12-01T05:00:00Z"),
            ])
            let since = Timestamp(rfc3339: "2026-12-01T00:00:00Z")!
            // Before the second pass: r2b and r3 wait; r2 is already replaced by r2b in quantities.
            var summary = try await fixture.billing.usageSummary(tenant: nil, project: "acme-web", since: since, groupBy: .unit)
            #expect(summary.unrated == 2)
            #expect(summary.rows.map { "\($0.group) \($0.displayQuantity) \($0.events) \($0.amount.display)" }
                    == ["app-runtime-hour 3.500000 3 0.200000", "inference.token 3.000000 1 0.006000"])
            try await fixture.rate()
            summary = try await fixture.billing.usageSummary(tenant: nil, project: "acme-web", since: since, groupBy: .instance)
            #expect(summary.unrated == 0)
            #expect(summary.rows.map { "\($0.group) \($0.unit) \($0.quantity) \($0.amount.amount)" }
                    == ["- inference.token 3000 6000", "i1 app-runtime-hour 9000 250000", "i3 app-runtime-hour 3600 100000"])
            summary = try await fixture.billing.usageSummary(tenant: "acme", project: nil, since: since, groupBy: .app)
            #expect(summary.rows.map { "\($0.group) \($0.unit)" }
                    == ["- inference.token", "shop app-runtime-hour", "trainer gpu-hour.h100"])
            summary = try await fixture.billing.usageSummary(tenant: "acme", project: nil, since: since, groupBy: .day)
            #expect(Set(summary.rows.map(\.group)) == ["2026-12-01"])
            // Since later than everything: nothing.
            #expect(try await fixture.billing.usageSummary(tenant: "acme", project: nil, since: fixture.clock.now(), groupBy: .unit).rows.isEmpty)
            await #expect(throws: PlatformError.self) {
                try await fixture.billing.usageSummary(tenant: "acme", project: "acme-web", since: since, groupBy: .unit)
            }
        }
    }
}

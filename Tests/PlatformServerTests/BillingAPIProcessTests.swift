import Foundation
import HTTPTypes
import MeteringService
import PlatformAPI
import PlatformContracts
import PlatformServer
import PlatformTestKit
import Testing

/// Issue 19 point 3 over HTTP on a live server: a product (Token Factory) meters
/// `inference.token` through `POST /v1/usage/events` with its own service account; events are
/// idempotent by (source, id), a changed payload is a 409, the tenant charged is the
/// project's, and the rating worker turns the batch into a rated charge, a journal entry and
/// a statement line. Money reads and writes need their scopes and reach.
@Suite("Usage and billing API over HTTP")
struct BillingAPIProcessTests {
    /// A tenant-wide `usage-reporter` service account of tenant `tenant` and a key with its scopes.
    static func reporter(_ fixture: IAMFixture, tenant: Tenant) async throws -> IssuedKey {
        let account = try await fixture.ok(
            .post, Endpoints.createTenantServiceAccount.path(.init(tenant: tenant.id)), key: fixture.adminKey,
            body: ["name": "token-factory", "role": "usage-reporter"], as: ServiceAccount.self)
        return try await fixture.ok(
            .post, Endpoints.createKey.path(.init()), key: fixture.adminKey,
            body: ["serviceAccount": account.id, "scopes": ["usage:events:write", "usage:read"], "expiresInSeconds": 3600], as: IssuedKey.self)
    }

    static func event(_ id: String, tokens: Int64, project: String, at: Timestamp, corrects: String? = nil) -> [String: any Sendable] {
        var event: [String: any Sendable] = ["id": id, "unit": "inference.token", "quantity": tokens, "project": project,
                                             "app": "chat", "occurredAt": at.rfc3339]
        if let corrects { event["corrects"] = corrects }
        return event
    }

    /// Polls `read` until it returns a value (rating runs every second), at most `seconds`.
    static func eventually<T: Sendable>(_ seconds: Int = 30, _ read: () async throws -> T?) async throws -> T? {
        for _ in 0..<(seconds * 5) {
            if let value = try await read() { return value }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    @Test("Token Factory's inference.token batches: duplicate is a no-op, same id other payload 409, rated onto the statement",
          arguments: ServerBackend.enabled)
    func tokenFactoryMetersInferenceTokens(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (tenant, project, _, _) = try await fixture.makeProject(tenant: "acme", project: "chat", account: "acme-admin")
            let key = try await Self.reporter(fixture, tenant: tenant)
            let now = Timestamp.now()
            let path = Endpoints.ingestUsageEvents.path(.init())
            let batch: [String: any Sendable] = [
                "source": "token-factory",
                "events": [Self.event("req-1", tokens: 1500, project: "acme/chat", at: now),
                           Self.event("req-2", tokens: 500, project: project.id, at: now)],
            ]
            let first = try await fixture.ok(.post, path, key: key.key, body: batch, as: UsageIngestReport.self)
            #expect(first.results.map(\.outcome) == [.accepted, .accepted] && first.results.map(\.id) == ["req-1", "req-2"])

            // The same batch again changes nothing.
            let again = try await fixture.ok(.post, path, key: key.key, body: batch, as: UsageIngestReport.self)
            #expect(again.results.map(\.outcome) == [.duplicate, .duplicate] && again.accepted == 0)

            // The same id with another quantity is a conflict, and nothing of its batch is stored.
            let conflicting = try await fixture.call(.post, path, key: key.key, body: [
                "source": "token-factory",
                "events": [Self.event("req-3", tokens: 10, project: project.id, at: now), Self.event("req-1", tokens: 9999, project: project.id, at: now)],
            ])
            #expect(conflicting.status == .conflict && conflicting.errorCode == "usage.event_conflict",
                    "\(String(decoding: conflicting.body, as: UTF8.self))")

            // The events are the project's, charged to its tenant, attributed to the product.
            let stored = try await fixture.server.usage.events(project: project.id, source: "token-factory", idPrefix: nil)
            #expect(stored.map(\.id).sorted() == ["req-1", "req-2"], "req-3 was in the refused batch")
            #expect(stored.allSatisfy { $0.tenant == tenant.id && $0.product == "token-factory" && $0.unitVersion == 1 && $0.app == "chat" })

            // Rated: a charge entry for the tenant, and a statement line for token-factory's unit.
            let period = BillingPeriod(containing: now)
            let statementPath = Endpoints.getStatement.path(.init(tenant: tenant.id, period: period.description))
            let statement = try await Self.eventually {
                let statement = try await fixture.ok(.get, statementPath, key: fixture.adminKey, as: Statement.self)
                return statement.lines.contains { $0.unit == "inference.token" && $0.quantity == 2000 } ? statement : nil
            }
            if statement == nil {
                // Say why: still queued (unrated), or rated but not on the statement.
                let waiting = try await fixture.call(.get, Endpoints.getUsageSummary.path(.init()) + "?project=\(project.id)", key: fixture.adminKey)
                Issue.record("not rated onto the statement in time: \(String(decoding: waiting.body, as: UTF8.self))")
            }
            let line = try #require(statement?.lines.first { $0.unit == "inference.token" }, "no statement line was rated in time")
            let expected = try #require(PriceBook.amount(quantity: 2000, unitPrice: 2000, precision: 1000))
            #expect(line.project == project.id || line.project == "chat" || line.project == "acme/chat", "\(line)")
            #expect(line.app == "chat" && line.amount.amount == expected && line.amount.currency == "USD", "\(line)")
            #expect(statement?.total.amount == expected)

            let entries = try await fixture.ok(.get, Endpoints.listLedgerEntries.path(.init()) + "?tenant=\(tenant.id)", key: fixture.adminKey,
                                               as: [JournalEntry].self)
            #expect(entries.filter { $0.kind == .charge }.count == 2 && entries.allSatisfy(\.isBalanced), "\(entries)")

            // The CSV form of the statement is StatementCSV's bytes.
            let csv = try await fixture.call(.get, statementPath + "?format=csv", key: fixture.adminKey)
            let text = String(decoding: csv.body, as: UTF8.self)
            #expect(csv.status == .ok && text.hasPrefix(StatementCSV.columns.joined(separator: ",")) && text.contains("inference.token"), "\(text)")

            let verification = try await fixture.ok(.get, Endpoints.verifyLedger.path(.init()), key: fixture.adminKey, as: LedgerVerification.self)
            #expect(verification.passed, "\(verification.checks.filter { !$0.passed })")

            let summary = try await fixture.ok(.get, Endpoints.getUsageSummary.path(.init()) + "?project=\(project.id)", key: key.key,
                                               as: UsageSummary.self)
            #expect(summary.rows.first { $0.unit == "inference.token" }?.quantity == 2000, "\(summary)")
        }
    }

    @Test("a reporter reaches only its tenant's projects, and one foreign event refuses the whole batch", arguments: ServerBackend.enabled)
    func ingestStaysInReach(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (tenant, project, _, member) = try await fixture.makeProject(tenant: "acme", project: "chat", account: "acme-admin")
            let (_, foreign, _, _) = try await fixture.makeProject(tenant: "beta", project: "other", account: "beta-admin")
            let key = try await Self.reporter(fixture, tenant: tenant)
            let now = Timestamp.now()
            let path = Endpoints.ingestUsageEvents.path(.init())
            let mixed = try await fixture.call(.post, path, key: key.key, body: [
                "source": "token-factory",
                "events": [Self.event("ok-1", tokens: 1, project: project.id, at: now), Self.event("x-1", tokens: 1, project: foreign.id, at: now)],
            ])
            #expect(mixed.status == .notFound && mixed.errorCode == "iam.not_found")
            #expect(!String(decoding: mixed.body, as: UTF8.self).contains(foreign.tenantId))
            #expect(try await fixture.server.usage.events(project: project.id, source: nil, idPrefix: nil).isEmpty)
            #expect(try await fixture.server.usage.events(project: foreign.id, source: nil, idPrefix: nil).isEmpty)

            // A project admin's key does not carry usage:events:write: no project role reports usage.
            let asMember = try await fixture.call(.post, path, key: member.key, body: [
                "source": "token-factory", "events": [Self.event("m-1", tokens: 1, project: project.id, at: now)],
            ])
            #expect(asMember.status == .forbidden)

            // An empty or oversized batch is refused before any lookup.
            let empty = try await fixture.call(.post, path, key: key.key, body: ["source": "token-factory", "events": [[String: any Sendable]]()])
            #expect(empty.status == .badRequest && empty.errorCode == "usage.batch_invalid")
            let many = (0...1000).map { Self.event("e-\($0)", tokens: 1, project: project.id, at: now) }
            let oversized = try await fixture.call(.post, path, key: key.key, body: ["source": "token-factory", "events": many])
            #expect(oversized.status == .badRequest && oversized.errorCode == "usage.batch_invalid")
        }
    }

    @Test("money is tenant-wide: a project key reaches no balance; credits, closing and the ledger check are platform admins'",
          arguments: ServerBackend.enabled)
    func billingScopesAndReach(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (tenant, project, _, projectAdmin) = try await fixture.makeProject(tenant: "acme", project: "chat", account: "acme-admin")
            let ops = try await fixture.ok(
                .post, Endpoints.createTenantServiceAccount.path(.init(tenant: tenant.id)), key: fixture.adminKey,
                body: ["name": "acme-ops", "role": "tenant-admin"], as: ServiceAccount.self)
            let tenantAdmin = try await fixture.ok(
                .post, Endpoints.createKey.path(.init()), key: fixture.adminKey,
                body: ["serviceAccount": ops.id, "scopes": ["billing:read", "billing:budget:write", "usage:read"], "expiresInSeconds": 3600],
                as: IssuedKey.self)
            let balancePath = Endpoints.getBillingBalance.path(.init()) + "?tenant=\(tenant.id)"

            // The tenant admin reads the balance, stamped with its rollup's as-of time.
            let balance = try await fixture.ok(.get, balancePath, key: tenantAdmin.key, as: BalanceReport.self)
            #expect(balance.tenant == tenant.id && balance.ageSeconds >= 0)
            // No project role reads money; a project-bound key reaches no tenant-wide summary even
            // with usage:read, only its own project's.
            #expect(try await fixture.call(.get, balancePath, key: projectAdmin.key).status == .forbidden)
            let summaryPath = Endpoints.getUsageSummary.path(.init())
            #expect(try await fixture.call(.get, summaryPath + "?tenant=\(tenant.id)", key: projectAdmin.key).status == .notFound)
            #expect(try await fixture.call(.get, summaryPath + "?project=\(project.id)&groupBy=day", key: projectAdmin.key).status == .ok)
            #expect(try await fixture.call(.get, summaryPath + "?tenant=acme", key: tenantAdmin.key).status == .ok)
            let both = try await fixture.call(.get, summaryPath + "?tenant=acme&project=\(project.id)", key: tenantAdmin.key)
            #expect(both.status == .badRequest && both.errorCode == "http.parameter_invalid")

            // Budgets: decimal limits, converted exactly; malformed amounts are refused.
            let budget = try await fixture.ok(.put, Endpoints.setProjectBudget.path(.init(project: project.id)), key: projectAdmin.key,
                                              body: ["limit": "250.50", "thresholds": [50, 100]], as: BudgetStatus.self)
            #expect(budget.budget.limit.amount == 250_500_000 && budget.budget.thresholds == [50, 100] && budget.budget.target == project.id)
            for bad in ["1e3", "-5", "0", "1.0000001", "", "12,5"] {
                let refused = try await fixture.call(.put, Endpoints.setTenantBudget.path(.init(tenant: tenant.id)), key: tenantAdmin.key,
                                                     body: ["limit": bad])
                #expect(refused.status == .badRequest && refused.errorCode == "billing.amount_invalid", "\(bad) → \(refused.status)")
            }
            let unordered = try await fixture.call(.put, Endpoints.setTenantBudget.path(.init(tenant: tenant.id)), key: tenantAdmin.key,
                                                   body: ["limit": "10", "thresholds": [80, 50]])
            #expect(unordered.status == .badRequest)
            _ = try await fixture.ok(.put, Endpoints.setTenantBudget.path(.init(tenant: tenant.id)), key: tenantAdmin.key,
                                     body: ["limit": "1000"], as: BudgetStatus.self)
            let budgets = try await fixture.ok(.get, Endpoints.listBudgets.path(.init(tenant: tenant.id)), key: tenantAdmin.key,
                                               as: [BudgetStatus].self)
            #expect(Set(budgets.map(\.budget.scope)) == [.tenant, .project])
            #expect(try await fixture.call(.delete, Endpoints.removeProjectBudget.path(.init(project: project.id)), key: projectAdmin.key)
                .status == .noContent)
            let gone = try await fixture.call(.delete, Endpoints.removeProjectBudget.path(.init(project: project.id)), key: projectAdmin.key)
            #expect(gone.status == .notFound && gone.errorCode == "billing.budget_not_found")

            // Platform admins' only: credit, statement close, the ledger check.
            let credit: [String: any Sendable] = ["id": "welcome-1", "tenant": "acme", "amount": "50", "reason": "welcome"]
            #expect(try await fixture.call(.post, Endpoints.grantCredit.path(.init()), key: tenantAdmin.key, body: credit).status == .forbidden)
            let previous = BillingPeriod(containing: .now()).previous
            #expect(try await fixture.call(.post, Endpoints.closeStatement.path(.init(tenant: tenant.id, period: previous.description)),
                                           key: tenantAdmin.key).status == .forbidden)
            #expect(try await fixture.call(.get, Endpoints.verifyLedger.path(.init()), key: tenantAdmin.key).status == .forbidden)

            // The admin's grant is idempotent by id and shows in the balance's promotional credit.
            let entry = try await fixture.ok(.post, Endpoints.grantCredit.path(.init()), key: fixture.adminKey, body: credit, as: JournalEntry.self)
            let retried = try await fixture.ok(.post, Endpoints.grantCredit.path(.init()), key: fixture.adminKey, body: credit, as: JournalEntry.self)
            #expect(entry.id == retried.id && entry.seq == retried.seq && entry.kind == .creditGrant && entry.isBalanced)
            #expect(entry.postings.contains { $0.account == .tenant(tenant.id, .promotionalCredit) && $0.amount == -50_000_000 }, "\(entry)")

            // A period that is not a month is refused as such.
            let badPeriod = try await fixture.call(.get, Endpoints.getStatement.path(.init(tenant: tenant.id, period: "2026-13")), key: fixture.adminKey)
            #expect(badPeriod.status == .badRequest && badPeriod.errorCode == "billing.period_invalid")
        }
    }
}

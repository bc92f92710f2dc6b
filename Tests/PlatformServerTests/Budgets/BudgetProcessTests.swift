import AsyncHTTPClient
import Foundation
import NIOHTTP1
import PlatformAPI
import PlatformContracts
import PlatformTestKit
import Testing

/// Budgets in the real `platformd`: a project budget set through the API, usage ingested
/// through the API and rated by the server's rating worker, and the next launch refused with
/// 402 `billing.budget_exhausted`, its refusal audited with the budget and policy snapshot.
@Suite("Budget enforcement in a real platformd", .serialized, .tags(.integration))
struct BudgetProcessTests {
    @Test("usage rated past a project's budget refuses its next launch with 402 billing.budget_exhausted, audited",
          arguments: ServerBackend.enabled)
    func spentBudgetRefusesTheNextLaunchThroughTheAPI(backend: ServerBackend) async throws {
        let url = try await backend.databaseURL()
        try await withTemporaryDirectory { directory async throws in
            let daemon = try await RegistryProcessTests.Daemon.start(directory, databaseURL: url)
            defer { daemon.process.signal(SIGKILL) }
            let tenant = try JSONDecoder().decode(Tenant.self, from: try await daemon.call(.POST, "/v1/tenants", body: Data(#"{"name":"acme"}"#.utf8)).2).id
            let project = try JSONDecoder().decode(Project.self, from: try await daemon.call(
                .POST, "/v1/tenants/\(tenant)/projects", body: Data(#"{"name":"apps"}"#.utf8)).2).id

            // A $0.05 budget; one hour of app runtime is $0.10 in the shipped price book.
            let (setStatus, _, setBody) = try await daemon.call(.PUT, "/v1/projects/\(project)/budget",
                                                                body: Data(#"{"limit":"0.05","thresholds":[50]}"#.utf8))
            #expect(setStatus == 200, "\(String(decoding: setBody, as: UTF8.self))")
            let launches = "/v1/projects/\(project)/instances"
            InstanceProcessTests.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"no-such-app"}"#.utf8)),
                                             404, "apps.not_found", "under budget, admission goes on to the app")

            let batch = UsageEventBatch(source: "apps", events: [
                UsageEventInput(id: "budget-process-1", unit: "app-runtime-hour", quantity: 3600, project: project, occurredAt: .now()),
            ])
            let (ingested, _, ingestBody) = try await daemon.call(.POST, "/v1/usage/events", body: try JSONEncoder().encode(batch))
            #expect(ingested == 200, "\(String(decoding: ingestBody, as: UTF8.self))")

            // The rating worker rates it and records the crossings in the same transaction.
            let deadline = ContinuousClock.now + .seconds(30)
            var exhausted = false
            while !exhausted, ContinuousClock.now < deadline {
                let body = try await daemon.call(.GET, "/v1/tenants/\(tenant)/budgets").2
                exhausted = (try? JSONDecoder().decode([BudgetStatus].self, from: body))?.first?.exhaustedAt != nil
                if !exhausted { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(exhausted, "the budget was not exhausted within 30 s of ingesting")

            InstanceProcessTests.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"no-such-app"}"#.utf8)),
                                             402, "billing.budget_exhausted", "over budget")
            let records = try JSONDecoder().decode([AuditRecord].self,
                                                   from: try await daemon.call(.GET, "/v1/audit/records?action=apps.instance.refuse").2)
            let refusal = try #require(records.last { $0.details["code"] == ErrorCode.billingBudgetExhausted.rawValue })
            #expect(refusal.details["budget"] == "project/\(project)" && refusal.details["policy_snapshot"]?.isEmpty == false)
        }
    }
}

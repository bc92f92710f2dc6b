@testable import AppPlatform
import PlatformContracts
import PlatformTestKit
import Testing

/// Budget enforcement in the instance core: admission refuses a launch while the project's or
/// its tenant's budget is exhausted, and the supervisor stops running instances once the
/// grace period has passed where `billing.budget_stops_running` is on — both audited with the
/// budget and the policy snapshot that decided them. Budgets come from a scripted
/// ``SpendGuard``; the metering side is tested in PlatformServerTests (BudgetServiceTests).
@Suite("Budget enforcement through admission and the supervisor")
struct BudgetEnforcementTests {
    /// A budget of `scope`/`target` exhausted at `at` (12 of 10 USD).
    static func exhausted(_ scope: BudgetScope, _ target: String, at: Timestamp) -> BudgetStatus {
        let budget = Budget(scope: scope, target: target, tenant: FastTier.project.tenantId,
                            limit: Money(currency: "USD", amount: 10_000_000, scale: 6), thresholds: [80, 100], updatedAt: at,
                            updatedBy: "01JTENANTADM1N000000000000")
        return BudgetStatus(budget: budget, period: BillingPeriod(containing: at), spent: Money(currency: "USD", amount: 12_000_000, scale: 6),
                            percent: 120, crossed: [80, 100], exhaustedAt: at)
    }

    static func stopsRunning(grace: Int64) -> PolicySnapshot {
        TestPolicy.snapshot(id: "01JTESTP0L1CYSTOPSRUNN1NG0", ["billing.budget_stops_running": .flag(true), "billing.budget_grace_seconds": .integer(grace)])
    }

    @Test("a launch is refused with billing.budget_exhausted while the tenant's budget is spent, audited with the budget and snapshot")
    func anExhaustedBudgetRefusesANewLaunchAndTheRefusalIsAudited() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let tenantBudget = "tenant/\(FastTier.project.tenantId)"
            tier.spend.exhausted = [Self.exhausted(.tenant, FastTier.project.tenantId, at: tier.clock.now())]
            do {
                _ = try await tier.launch("web")
                Issue.record("a launch passed with the tenant's budget spent")
            } catch let error as PlatformError {
                #expect(error.code == .billingBudgetExhausted && error.details["budget"] == tenantBudget, "\(error.message)")
            }
            let refusal = try #require(tier.audit.recorded("apps.instance.refuse").last)
            #expect(refusal.details["code"] == ErrorCode.billingBudgetExhausted.rawValue)
            #expect(refusal.details["budget"] == tenantBudget && refusal.details["policy_snapshot"] == TestPolicy.snapshot().id)
            #expect(try await tier.service.list(in: FastTier.project).isEmpty, "nothing was admitted")

            // Another project's spent budget does not hold this one back.
            tier.spend.exhausted = [Self.exhausted(.project, "01JANOTHERPR0JECT000000000", at: tier.clock.now())]
            let record = try await tier.launch("web")
            #expect(record.phase == .accepted)
        }
    }

    @Test("with billing.budget_stops_running off a spent budget stops nothing; on, running instances stop after the grace (cause budget, audited)")
    func theEnforcerStopsRunningInstancesOnlyWhenPolicySaysSoAndAfterTheGrace() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .ready)
            tier.spend.exhausted = [Self.exhausted(.project, FastTier.project.id, at: tier.clock.now())]
            try await tier.advance(by: .seconds(120))
            #expect(try await tier.record(record.id).phase == .ready, "the flag is off: running instances keep running")

            tier.policy.current = Self.stopsRunning(grace: 300)
            try await tier.advance(by: .seconds(150))
            #expect(try await tier.record(record.id).phase == .ready, "270 s after exhaustion, inside the 300 s grace")
            try await tier.advance(by: .seconds(40))
            try await tier.advance(by: .seconds(2))
            try await tier.waitFor(record.id, .stopped)
            #expect(try await tier.phases(record.id) == [.accepted, .scheduled, .starting, .running, .ready, .stopping, .stopped])
            let stop = try #require(tier.audit.recorded("apps.instance.stop").last)
            #expect(stop.actor.rawValue == "platformd" && stop.target == "instance/\(record.id)")
            #expect(stop.details["stop_cause"] == StopCause.budget.rawValue && stop.details["budget"] == "project/\(FastTier.project.id)")
            #expect(stop.details["policy_snapshot"] == Self.stopsRunning(grace: 300).id && stop.details["grace_seconds"] == "300")
            #expect(stop.details["message"]?.hasPrefix("budget: the project/\(FastTier.project.id) budget") == true)
        }
    }

    @Test("a stale policy snapshot stops nothing for a budget; the next fresh sweep does")
    func aStalePolicySnapshotStopsNothing() async throws {
        try await FastTier.with(policy: Self.stopsRunning(grace: 0)) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .ready)
            tier.policy.stale = true
            tier.spend.exhausted = [Self.exhausted(.tenant, FastTier.project.tenantId, at: tier.clock.now())]
            try await tier.advance(by: .seconds(30))
            #expect(try await tier.record(record.id).phase == .ready)
            tier.policy.stale = false
            try await tier.advance(by: .seconds(6))
            try await tier.advance(by: .seconds(2))
            try await tier.waitFor(record.id, .stopped)
            #expect(tier.audit.recorded("apps.instance.stop").last?.details["stop_cause"] == StopCause.budget.rawValue)
        }
    }

    @Test("a budget stop moves any live phase to stopping once and ends stopped")
    func budgetStopThroughThePhaseMachine() {
        for phase in [InstancePhase.accepted, .scheduled, .starting, .running, .ready] {
            #expect(InstancePhaseMachine.next(from: phase, on: .stopRequested(.budget), mode: .service, stopCause: nil) == .stopping)
        }
        #expect(InstancePhaseMachine.next(from: .stopping, on: .stopRequested(.budget), mode: .service, stopCause: .budget) == nil)
        #expect(InstancePhaseMachine.next(from: .stopping, on: .runtimeExited(code: 137), mode: .service, stopCause: .budget) == .stopped)
    }

    @Test("a grace period too large to count in milliseconds means never, and a clock before the exhaustion is not past it")
    func graceTooLargeToCountNeverTrapsTheSupervisor() {
        let since = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        let later = Timestamp(millisecondsSinceEpoch: 1_800_000_060_000)
        #expect(BudgetEnforcer.graceOver(now: later, since: since, graceSeconds: 60))
        #expect(!BudgetEnforcer.graceOver(now: later, since: since, graceSeconds: 61))
        #expect(!BudgetEnforcer.graceOver(now: later, since: since, graceSeconds: .max))
        #expect(!BudgetEnforcer.graceOver(now: since, since: later, graceSeconds: 0))
    }
}

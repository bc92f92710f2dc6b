import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import PolicyService
import Synchronization
import Testing

/// The policy service on both databases: resolution and provenance, immutable versioned
/// snapshots, concurrent writers, registry changes at start, and the freshness budget.
@Suite("PolicyService")
struct PolicyServiceTests {
    @Test("values resolve plan → tenant → department → project as far as each scope allows, with provenance",
          arguments: Backend.enabled)
    func resolutionOrderAndProvenance(backend: Backend) async throws {
        try await withPolicyStore(backend) { store in
            let policy = makePolicyService(store)
            _ = try await policy.assign(plan: "plan.research", tenant: "t1", by: admin, requestID: nil)
            _ = try await policy.set("quota.gpus", .integer(32), at: .tenant("t1"), by: admin, requestID: nil)
            _ = try await policy.setDepartment("ml", tenant: "t1", projects: ["p1"], by: admin, requestID: nil)
            _ = try await policy.set("quota.gpus", .integer(16), at: .department(tenant: "t1", name: "ml"), by: admin, requestID: nil)
            let snapshot = try await policy.set("quota.gpus", .integer(4), at: .project("p1"), by: admin, requestID: nil)

            let resolved = try snapshot.resolve("quota.gpus", project: "p1", tenant: "t1")
            #expect(resolved.value == .integer(4))
            #expect(resolved.chain.map(\.level) == [.registryDefault, .plan, .tenant, .department, .project])
            #expect(resolved.chain.map(\.name) == ["policies.yaml", "plan.research", "tenant/t1", "department/t1/ml", "project/p1"])
            #expect(resolved.chain.map(\.value) == [.integer(8), .integer(64), .integer(32), .integer(16), .integer(4)])
            // A sibling project outside the department stops at the tenant; another tenant gets the default plan.
            #expect(snapshot.integer("quota.gpus", project: "p2", tenant: "t1") == 32)
            #expect(try snapshot.resolve("quota.gpus", project: "p9", tenant: "t2").source.name == "plan.standard")
            // A tenant-scoped flag comes from the tenant's plan: STATIC in OpenFeature's words.
            let slurm = try snapshot.evaluateFlag("runtime.slurm", project: "p1", tenant: "t1")
            #expect(slurm.value && slurm.reason == .static && slurm.targeting == "plan.research" && slurm.snapshot == snapshot.id)
            // A retired policy stays at its default even though the plan names it.
            let legacy = try snapshot.evaluateFlag("legacy.flag", project: "p1", tenant: "t1")
            #expect(!legacy.value && legacy.reason == .disabled)
        }
    }

    @Test("a change the registry does not allow is refused with its code and writes nothing", arguments: Backend.enabled)
    func refusedChangesWriteNothing(backend: Backend) async throws {
        try await withPolicyStore(backend) { store in
            let policy = makePolicyService(store)
            let first = try await policy.load()
            let refusals: [(ErrorCode, () async throws -> Void)] = [
                (.policyKeyUnknown, { _ = try await policy.set("quota.nope", .integer(1), at: .project("p1"), by: admin, requestID: nil) }),
                (.policyValueInvalid, { _ = try await policy.set("quota.gpus", .flag(true), at: .project("p1"), by: admin, requestID: nil) }),
                (.policyValueInvalid, { _ = try await policy.set("quota.gpus", .integer(-1), at: .project("p1"), by: admin, requestID: nil) }),
                (.policyValueInvalid, { _ = try await policy.set("runtime.slurm", .flag(true), at: .project("p1"), by: admin, requestID: nil) }),
                (.policyValueInvalid, { _ = try await policy.set("runtime.slurm", .flag(true),
                                                                 at: .department(tenant: "t1", name: "ml"), by: admin, requestID: nil) }),
                (.policyValueInvalid, { _ = try await policy.set("platform.nodes", .integer(2), at: .tenant("t1"), by: admin, requestID: nil) }),
                (.policyValueInvalid, { _ = try await policy.set("legacy.flag", .flag(true), at: .project("p1"), by: admin, requestID: nil) }),
                (.policyPlanUnknown, { _ = try await policy.assign(plan: "plan.gold", tenant: "t1", by: admin, requestID: nil) }),
            ]
            for (code, attempt) in refusals {
                #expect(await platformError(attempt)?.code == code)
            }
            #expect(try await policy.history().map(\.id) == [first.id])
            #expect(try await TableAudit.records(store).map(\.action) == ["policy.snapshot.registry"])
            // The tenant-scoped flag can be set per tenant.
            let set = try await policy.set("runtime.slurm", .flag(true), at: .tenant("t1"), by: admin, requestID: nil)
            #expect(try set.evaluateFlag("runtime.slurm", project: "p1", tenant: "t1").reason == .targetingMatch)
        }
    }

    @Test("every change writes a new snapshot id with its audit record; earlier snapshots stay readable and unchanged",
          arguments: Backend.enabled)
    func everyChangeIsANewImmutableSnapshot(backend: Backend) async throws {
        try await withPolicyStore(backend) { store in
            let policy = makePolicyService(store)
            let first = try await policy.load()
            let second = try await policy.set("quota.gpus", .integer(2), at: .project("p1"), by: admin, requestID: "req-1")
            let third = try await policy.set("quota.gpus", nil, at: .project("p1"), by: admin, requestID: nil)
            let fourth = try await policy.assign(plan: "plan.research", tenant: "t1", by: admin, requestID: nil)
            let fifth = try await policy.setDepartment("ml", tenant: "t1", projects: ["p1", "p2"], by: admin, requestID: nil)
            let all = [first, second, third, fourth, fifth]
            #expect(Set(all.map(\.id)).count == 5)
            #expect(all.map(\.version) == [1, 2, 3, 4, 5])
            #expect(try await policy.history().map(\.id) == all.reversed().map(\.id))

            // Old snapshots read back exactly as written: a resource keeps the one it was created under.
            #expect(try await policy.snapshot(id: second.id) == second)
            #expect(try await policy.snapshot(id: first.id) == first)
            #expect(second.integer("quota.gpus", project: "p1", tenant: "t1") == 2)
            #expect(third.integer("quota.gpus", project: "p1", tenant: "t1") == 8)
            #expect(await policy.read().snapshot == fifth)

            let records = try await TableAudit.records(store)
            #expect(records.map(\.action) == ["policy.snapshot.registry", "policy.value.set", "policy.value.set", "policy.plan.assign",
                                              "policy.department.set"])
            #expect(records.map { $0.details["policy_snapshot"] } == all.map(\.id))
            #expect(records[1].target == "project/p1" && records[1].details["key"] == "quota.gpus" && records[1].details["value"] == "2")
            #expect(records[2].details["cleared"] == "true")
            #expect(records[3].details["plan"] == "plan.research")
            #expect(records[4].details["projects"] == "p1,p2")
        }
    }

    @Test("concurrent changes from two replicas all land, each as its own version", arguments: Backend.enabled)
    func concurrentSetsLandAsDistinctVersions(backend: Backend) async throws {
        try await withPolicyStore(backend) { store in
            let replicas = [makePolicyService(store), makePolicyService(store)]
            _ = try await replicas[0].load()
            let written = try await withThrowingTaskGroup(of: PolicySnapshot.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await replicas[index % 2].set("quota.gpus", .integer(Int64(index)), at: .project("p\(index)"), by: admin,
                                                          requestID: nil)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(written.map(\.version)) == Set(2...9))
            #expect(Set(written.map(\.id)).count == 8)
            let newest = try #require(try await replicas[1].history(limit: 1).first)
            #expect(newest.version == 9)
            for index in 0..<8 {
                #expect(newest.integer("quota.gpus", project: "p\(index)", tenant: "t1") == Int64(index))
            }
        }
    }

    @Test("a registry or default-plan change at start writes a new snapshot that keeps the overrides; an unchanged one does not",
          arguments: Backend.enabled)
    func registryChangeAtStartWritesANewSnapshot(backend: Backend) async throws {
        try await withPolicyStore(backend) { store in
            let before = try await makePolicyService(store).load()
            let override = try await makePolicyService(store).set("quota.gpus", .integer(3), at: .project("p1"), by: admin, requestID: nil)
            #expect(try await makePolicyService(store).load() == override)

            var changed = testPolicyRegistry
            changed.policies[0].default = .integer(10)
            changed.plans[0].values["quota.gpus"] = nil
            let restarted = try await makePolicyService(store, registry: changed).load()
            #expect(restarted.version == 3 && restarted.id != override.id && restarted.id != before.id)
            #expect(restarted.integer("quota.gpus", project: "p1", tenant: "t1") == 3)
            #expect(restarted.integer("quota.gpus", project: "p2", tenant: "t1") == 10)
            #expect(try await makePolicyService(store, registry: changed).load() == restarted)

            let replanned = try await makePolicyService(store, registry: changed, defaultPlan: "plan.research").load()
            #expect(replanned.version == 4 && replanned.defaultPlan == "plan.research")
            #expect(try await TableAudit.records(store).filter { $0.action == "policy.snapshot.registry" }.count == 3)
        }
    }

    @Test("past the freshness budget capacity, authority and financial writes fail with policy.stale; reads go on, stamped; a refresh restores writes",
          arguments: Backend.enabled)
    func staleSnapshotRefusesWritesUntilRefreshed(backend: Backend) async throws {
        try await withPolicyStore(backend) { store in
            let clock = ManualClock()
            let observations = PolicyObservations()
            let policy = makePolicyService(store, clock: clock, budget: .seconds(300), observers: observations.observers)
            let loaded = try await policy.load()
            for write in PolicyWrite.allCases { #expect(try await policy.snapshot(for: write) == loaded) }

            // Refresh is frozen: nothing calls refresh() while the clock passes the budget.
            await clock.advance(by: .seconds(300))
            #expect(try await policy.snapshot(for: .capacity) == loaded)
            await clock.advance(by: .seconds(1))
            for write in PolicyWrite.allCases {
                let error = await platformError { _ = try await policy.snapshot(for: write) }
                #expect(error?.code == .policyStale)
                #expect(error?.details["age_ms"] == "301000")
                #expect(error?.details["budget_ms"] == "300000")
                #expect(error?.details["snapshot"] == loaded.id)
                #expect(error?.details["write"] == write.rawValue)
            }
            #expect(observations.rejects.withLock { $0 } == PolicyWrite.allCases)
            let stale = await policy.read()
            #expect(stale.stale && stale.age == .seconds(301) && stale.snapshot == loaded)
            #expect(observations.ages.withLock { $0.last } == .seconds(301))

            try await policy.refresh()
            let fresh = await policy.read()
            #expect(!fresh.stale && fresh.age == .zero)
            #expect(try await policy.snapshot(for: .financial) == loaded)
        }
    }

    @Test("the refresher keeps the snapshot fresh and picks up another replica's change; stopped, writes go stale",
          arguments: Backend.enabled)
    func refresherKeepsTheSnapshotFresh(backend: Backend) async throws {
        try await withPolicyStore(backend) { store in
            let clock = ManualClock()
            let policy = makePolicyService(store, clock: clock, budget: .seconds(60))
            let other = makePolicyService(store)
            _ = try await policy.load()
            let refresher = Task { try await PolicyRefresher(policy: policy, interval: .seconds(15), clock: clock, logger: testLogger).run() }
            try await waitForSleeper(clock)
            let changed = try await other.set("quota.gpus", .integer(1), at: .project("p1"), by: admin, requestID: nil)
            for _ in 0..<12 {
                await clock.advance(by: .seconds(15))
                try await waitForSleeper(clock)
            }
            #expect(try await policy.snapshot(for: .capacity) == changed)
            #expect(policy.age <= .seconds(15))

            refresher.cancel()
            _ = await refresher.result
            await clock.advance(by: .seconds(61))
            #expect(await platformError { _ = try await policy.snapshot(for: .authority) }?.code == .policyStale)
        }
    }

    @Test("policy:age passes up to half the budget, warns above, fails past it", arguments: [Backend.sqlite])
    func healthCheckFollowsTheBudget(backend: Backend) async throws {
        try await withPolicyStore(backend) { store in
            let clock = ManualClock()
            let policy = makePolicyService(store, clock: clock, budget: .seconds(300))
            try await policy.refresh()
            let check = PolicyHealthCheck(policy: policy)
            #expect(check.key == "policy:age")
            #expect(await check.check().status == .pass)
            await clock.advance(by: .seconds(150))
            #expect(await check.check().status == .pass)
            await clock.advance(by: .seconds(1))
            let warn = await check.check()
            #expect(warn.status == .warn && warn.observedValue == 151_000 && warn.observedUnit == "ms")
            await clock.advance(by: .seconds(150))
            let fail = await check.check()
            #expect(fail.status == .fail && fail.output?.contains("policy snapshot") == true)
            try await policy.refresh()
            #expect(await check.check().status == .pass)
        }
    }

    @Test("without a readable store, reads get the registry's own snapshot marked stale and a failed refresh still reports the age")
    func unreadableStoreFallsBackStale() async throws {
        try await withTemporaryDirectory { directory async throws in
            // A store without the policy schema: every policy query fails.
            let store = try await SQLStore.open(.sqlite(path: directory.appending("bare.db").path), logger: testLogger)
            let clock = ManualClock()
            let observations = PolicyObservations()
            let policy = makePolicyService(store, clock: clock, budget: .seconds(300), observers: observations.observers)
            await clock.advance(by: .seconds(10))
            await #expect(throws: PlatformError.self) { try await policy.refresh() }
            #expect(observations.ages.withLock { $0.last } == .seconds(10))
            let read = await policy.read()
            #expect(read.stale && read.snapshot.version == 0 && read.snapshot.id == "registry")
            #expect(read.snapshot.integer("quota.gpus", project: "p1", tenant: "t1") == 8)
            #expect(await platformError { _ = try await policy.snapshot(for: .capacity) } != nil)
            await store.shutdown()
        }
    }

    /// Waits (in real time) until one task sleeps on `clock`: the refresher finished its tick.
    func waitForSleeper(_ clock: ManualClock) async throws {
        for _ in 0..<2000 where clock.sleeperCount == 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(clock.sleeperCount == 1)
    }
}

@testable import AppPlatform
import Foundation
import InMemoryRuntimeAdapter
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// Admission decides with one policy snapshot and counts quotas from the durable rows in the
/// transaction that inserts the new one (issue 18 points 2, 4, 5 and the `quota.threshold`
/// events of point 10), on SQLite and on PostgreSQL.
@Suite("Quota admission from durable state")
struct QuotaAdmissionTests {
    static func quota(_ values: [String: PolicyValue]) -> PolicySnapshot { TestPolicy.snapshot(values) }

    /// Launches `count` copies of `app` at once through one service; the outcomes.
    static func launchConcurrently(_ tier: FastTier, _ count: Int, app: String = "web") async -> [Result<InstanceRecord, PlatformError>] {
        let service = tier.service
        return await withTaskGroup(of: Result<InstanceRecord, PlatformError>.self) { group in
            for _ in 0..<count {
                group.addTask {
                    do {
                        return .success(try await service.launch(in: FastTier.project, LaunchRequest(app: app), by: FastTier.caller, requestID: nil))
                    } catch let error as PlatformError {
                        return .failure(error)
                    } catch {
                        return .failure(PlatformError(.storeUnavailable, "\(error)"))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("50 concurrent launches at quota.concurrent_instances 5 admit exactly 5; 45 are refused apps.quota_exceeded",
          .tags(.integration, .timing), arguments: FastTier.Database.enabled)
    func fiftyConcurrentLaunchesAtAQuotaOfFiveAdmitExactlyFive(database: FastTier.Database) async throws {
        try await FastTier.with(policy: Self.quota(["quota.concurrent_instances": .integer(5)]), database: database) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let outcomes = await Self.launchConcurrently(tier, 50)
            let admitted = outcomes.compactMap { try? $0.get() }
            let refused = outcomes.compactMap { if case .failure(let error) = $0 { error } else { nil } }
            #expect(admitted.count == 5)
            #expect(refused.count == 45)
            #expect(refused.allSatisfy { $0.code == .instanceQuotaExceeded && $0.details["quota"] == "concurrent_instances" },
                    "\(Set(refused.map { "\($0.code.rawValue): \($0.message)" }))")
            #expect(try await tier.service.list(in: FastTier.project).count == 5)
            let held = try await tier.store.read { db in try await InstanceRepository.holdings(project: FastTier.project.id, db) }
            #expect(held.instances == 5)
            #expect(tier.audit.recorded("apps.instance.refuse").filter { $0.details["quota"] == "concurrent_instances" }.count == 45)
        }
    }

    @Test("quotas survive a restart: a second service over the same store counts the first one's instances",
          arguments: FastTier.Database.enabled)
    func quotasSurviveARestart(database: FastTier.Database) async throws {
        try await FastTier.with(policy: Self.quota(["quota.concurrent_instances": .integer(2)]), database: database) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            for _ in 0..<2 { _ = try await tier.launch("web") }
            try await tier.restart()
            try await AdmissionRefusalTests.expectQuotaRefusal(tier, quota: "concurrent_instances")
            // A second service that never supervised them (another replica) counts them too.
            let (replica, _) = tier.makeService()
            await #expect(throws: PlatformError.self) {
                try await replica.admission.admit(in: FastTier.project, LaunchRequest(app: "web"), by: FastTier.caller, requestID: nil)
            }
        }
    }

    @Test("a launch's row and audit record name the policy snapshot it was admitted under; a refusal's audit names it too")
    func aLaunchRecordsItsPolicySnapshot() async throws {
        let snapshot = TestPolicy.snapshot(id: "01JSNAPSH0TF0RTHE1AUNCH000", ["quota.concurrent_instances": .integer(1)])
        try await FastTier.with(policy: snapshot) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            let launch = try #require(tier.audit.recorded("apps.instance.launch").last)
            #expect(launch.details["policy_snapshot"] == snapshot.id)
            #expect(try await tier.service.repository.find(record.id)?.policySnapshot == snapshot.id)
            #expect(record.policySnapshot == snapshot.id)  // the API record shows it too
            await #expect(throws: PlatformError.self) { try await tier.launch("web") }
            #expect(tier.audit.recorded("apps.instance.refuse").last?.details["policy_snapshot"] == snapshot.id)
        }
    }

    @Test("recorded GPU-seconds this month at quota.gpu_hours_per_month refuse a GPU launch; last month's do not count")
    func recordedGPUHoursRefuseAGPULaunch() async throws {
        try await FastTier.with(policy: Self.quota(["quota.gpu_hours_per_month": .integer(2)])) { tier in
            try await tier.register(TestManifests.app("trainer", gpus: 1))
            try await tier.pushArtifact()
            let now = tier.clock.now()
            let project = ProjectID(FastTier.project.id)
            let lastMonth = Timestamp(millisecondsSinceEpoch: now.monthStart.millisecondsSinceEpoch - 1)
            try await tier.usage.record(UsageEvent(source: "apps", id: "old/gpu-hour.h100/0", unit: "gpu-hour.h100", quantity: 99_000, tenant: "t", project: project, product: "apps",
                                                    occurredAt: lastMonth))
            try await tier.usage.record(UsageEvent(source: "apps", id: "a/gpu-hour.h100/0", unit: "gpu-hour.h100", quantity: 7199, tenant: "t", project: project, product: "apps",
                                                    occurredAt: now))
            let first = try await tier.launch("trainer")
            _ = try await tier.stop(first.id)
            // Another model's GPU-seconds count too: the quota sums the gpu-hour family.
            try await tier.usage.record(UsageEvent(source: "apps", id: "a/gpu-hour.a100/1", unit: "gpu-hour.a100", quantity: 1, tenant: "t", project: project, product: "apps",
                                                    occurredAt: now))
            let before = tier.audit.recorded("apps.instance.refuse").count
            do {
                _ = try await tier.launch("trainer")
                Issue.record("a GPU launch passed 2 GPU-hours used of 2")
            } catch let error as PlatformError {
                #expect(error.code == .instanceQuotaExceeded && error.details["quota"] == "gpu_hours_per_month")
                #expect(error.details["used_gpu_seconds"] == "7200")
            }
            #expect(tier.audit.recorded("apps.instance.refuse").count == before + 1)
            // Launches without GPUs do not spend GPU-hours.
            try await tier.register(TestManifests.app("web"))
            _ = try await tier.launch("web")
        }
    }

    @Test("a GPU model outside access.gpu_models is refused policy.feature_disabled")
    func aGPUModelNotAllowedIsRefused() async throws {
        try await FastTier.with(policy: Self.quota(["access.gpu_models": .list(["h100"])])) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            try await AdmissionRefusalTests.expectRefusal(tier, .policyFeatureDisabled, gpus: "a100:1")
            try await AdmissionRefusalTests.expectRefusal(tier, .policyFeatureDisabled, gpus: "1")
            #expect(tier.audit.recorded("apps.instance.refuse").last?.details["policy_snapshot"] == tier.policy.current.id)
        }
    }

    @Test("a request over the GPU quota on its own is refused as the quota, before placement could call it unsatisfiable")
    func aRequestOverTheQuotaAloneIsTheQuotaNotPlacement() async throws {
        try await FastTier.with(policy: Self.quota(["quota.gpus": .integer(8)])) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            // No node has 64 GPUs either; the quota is what the caller must hear about.
            try await AdmissionRefusalTests.expectRefusal(tier, .instanceQuotaExceeded, gpus: "64")
        }
    }

    @Test("gpus_by_model counts the GPUs of one model against its limit")
    func gpusByModelLimitsOneModel() {
        let limits = AdmissionLimits(Self.quota(["quota.gpus_by_model": .integerMap(["h100": 2]), "quota.gpus": .integer(8)]),
                                     project: FastTier.project)
        let held = ProjectHoldings(instances: 2, gpus: 3, gpusByModel: ["h100": 2, "": 1])
        #expect(throws: Never.self) { try limits.check(adding: GPURequest(model: "a100", count: 4), to: held, project: "P") }
        do {
            try limits.check(adding: GPURequest(model: "h100", count: 1), to: held, project: "P")
            Issue.record("a third h100 passed a limit of 2")
        } catch {
            #expect(error.code == .instanceQuotaExceeded && error.details["quota"] == "gpus_by_model" && error.details["model"] == "h100")
        }
        do {
            try limits.check(adding: GPURequest(model: "a100", count: 6), to: held, project: "P")
            Issue.record("9 GPUs passed quota.gpus 8")
        } catch {
            #expect(error.details["quota"] == "gpus")
        }
    }

    @Test("with runtime.slurm off, a launch on the Slurm adapter is refused policy.feature_disabled; with it on, admitted")
    func slurmFlagOffRefusesASlurmLaunch() async throws {
        try await FastTier.with(policy: Self.quota(["runtime.slurm": .flag(false)])) { tier in
            try await tier.register(TestManifests.app("web").replacingOccurrences(of: "adapters: [local]", with: "adapters: [local, slurm]"))
            try await tier.pushArtifact()
            // A server with a Slurm adapter too (the twin under that name).
            let service = InstanceService(
                store: tier.store, identity: tier.authorizer, audit: tier.audit, catalog: tier.catalog, validator: tier.validator,
                registry: tier.registry, ledger: tier.ledger,
                adapters: [InMemoryRuntimeAdapter(runtime: tier.runtime, name: "local"), InMemoryRuntimeAdapter(runtime: tier.runtime, name: "slurm")],
                usage: tier.usage, policy: tier.policy, spend: tier.spend, settings: tier.settings, clock: tier.clock, prober: tier.prober,
                logger: tier.logger)
            let slurm = LaunchRequest(app: "web", adapter: "slurm")
            do {
                _ = try await service.admission.admit(in: FastTier.project, slurm, by: FastTier.caller, requestID: nil)
                Issue.record("a Slurm launch passed with runtime.slurm off")
            } catch let error as PlatformError {
                #expect(error.code == .policyFeatureDisabled && error.details["flag"] == "runtime.slurm", "\(error.message)")
            }
            #expect(tier.audit.recorded("apps.instance.refuse").last?.details["code"] == ErrorCode.policyFeatureDisabled.rawValue)
            tier.policy.current = Self.quota(["runtime.slurm": .flag(true)])
            let admitted = try await service.admission.admit(in: FastTier.project, slurm, by: FastTier.caller, requestID: nil)
            #expect(admitted.row.adapter == "slurm")
        }
    }

    @Test("a stale policy snapshot refuses a launch with policy.stale (fail closed), on both databases",
          arguments: FastTier.Database.enabled)
    func aStalePolicyRefusesALaunch(database: FastTier.Database) async throws {
        try await FastTier.with(database: database) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.policy.stale = true
            try await AdmissionRefusalTests.expectRefusal(tier, .policyStale)
            tier.policy.stale = false
            _ = try await tier.launch("web")
        }
    }

    @Test("crossing 80 % and 100 % of a quota writes one quota.threshold notice each, once per crossing",
          arguments: FastTier.Database.enabled)
    func quotaThresholdNoticesAreWrittenOncePerCrossing(database: FastTier.Database) async throws {
        try await FastTier.with(policy: Self.quota(["quota.concurrent_instances": .integer(5)]), database: database) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try await tier.launch("web").id) }
            #expect(try await Self.notices(tier).isEmpty, "3 of 5 is under 80 %")
            ids.append(try await tier.launch("web").id)
            #expect(try await Self.notices(tier).map(\.key) == [QuotaThresholds.dedupeKey(
                project: FastTier.project.id, quota: "concurrent_instances", percent: 80, snapshot: tier.policy.current.id, at: tier.clock.now())])
            ids.append(try await tier.launch("web").id)
            let notices = try await Self.notices(tier)
            #expect(notices.count == 2)
            // Both were written at the same instant of the manual clock: pick the 100 % one by its variables.
            let full = try #require(notices.map(\.event).first { $0.variables["percent"] == "100" })
            #expect(full.template == "quota.threshold" && full.project == FastTier.project.id && full.recipients == [FastTier.caller.principalId])
            #expect(full.variables == ["project": FastTier.project.name, "quota": "concurrent_instances", "used": "5", "limit": "5",
                                       "percent": "100"])
            // Down to 4 and back to 5 under the same snapshot and month: no second notice.
            _ = try await tier.stop(ids[0])
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(ids[0], .stopped)
            _ = try await tier.launch("web")
            #expect(try await Self.notices(tier).count == 2)
        }
    }

    /// The `notification` intents in the outbox (by event id: time order, but not within one millisecond).
    static func notices(_ tier: FastTier) async throws -> [(key: String, event: NotificationEvent)] {
        try await tier.store.read { db in
            try await db.select().columns("dedupe_key", "payload").from(OutboxSchema.table).where("topic", .equal, NotificationEvent.topic)
                .orderBy("event_id").all().map { row in
                    (try row.decode(column: "dedupe_key", as: String.self),
                     try JSONDecoder().decode(NotificationEvent.self, from: Data(try row.decode(column: "payload", as: String.self).utf8)))
                }
        }
    }
}

extension AdmissionRefusalTests {
    /// A launch of `web` refused apps.quota_exceeded for `quota`, audited with the quota named.
    static func expectQuotaRefusal(_ tier: FastTier, quota: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        do {
            let record = try await tier.launch("web")
            Issue.record("admitted \(record.id) over the \(quota) quota", sourceLocation: sourceLocation)
        } catch let error as PlatformError {
            #expect(error.code == .instanceQuotaExceeded && error.details["quota"] == quota, "\(error.message)", sourceLocation: sourceLocation)
        }
        #expect(tier.audit.recorded("apps.instance.refuse").last?.details["quota"] == quota, sourceLocation: sourceLocation)
    }
}

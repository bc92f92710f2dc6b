import Foundation
import PlatformContracts
import RegistryService
import Testing

/// The shipped policy registry (version 2, the seed's shape) and the checks at load.
@Suite("PolicyRegistry")
struct PolicyRegistryTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("manifests/platform")

    @Test("policies.yaml v4 loads with every policy the platform enforces and both plans at today's numbers")
    func shippedRegistryLoads() throws {
        let registries = try RegistrySet.load(RegistryFiles(directory: Self.directory))
        let policies = registries.policies
        #expect(policies.version == 4)
        let definitions = policies.definitions
        for key in ["quota.concurrent_instances", "quota.gpus", "quota.gpus_by_model", "quota.gpu_hours_per_month",
                    "quota.registry_storage_bytes", "access.gpu_models", "access.artifact_types", "connect.ssh", "runtime.slurm",
                    "release.required_fields", "release.production_required_fields", "release.blocking_severities",
                    "release.security_owner_risk_classes", "release.capacity_reserve_percent", "release.smoke_max_seconds",
                    "maintenance.refuse_launches", "artifacts.quarantine_stops_instances"] {
            #expect(definitions[key] != nil, "\(key)")
        }
        #expect(definitions["quota.gpus_by_model"]?.type == .integerMap && definitions["access.gpu_models"]?.default == .list([]))
        let standard = try #require(policies.plansByID["plan.standard"])
        let research = try #require(policies.plansByID["plan.research"])
        #expect(standard.values["quota.gpus"] == .integer(8) && standard.values["quota.concurrent_instances"] == .integer(20)
            && standard.values["quota.gpu_hours_per_month"] == .integer(2000))
        #expect(research.values["quota.gpus"] == .integer(64) && research.values["quota.concurrent_instances"] == .integer(100)
            && research.values["quota.gpu_hours_per_month"] == .integer(50000) && research.values["runtime.slurm"] == .flag(true))
        for action in ["policy.value.set", "policy.plan.assign", "policy.department.set", "policy.snapshot.registry"] {
            #expect(registries.auditActions.isKnown(action), "\(action)")
        }
    }

    @Test("a default or plan value of the wrong type, or a plan naming an unknown policy, is refused at load")
    func mistypedRegistryIsRefused() throws {
        let good = PolicyRegistry(
            policies: [PolicyDefinition(policyKey: "quota.gpus", scope: .project, type: .integer, default: .integer(8), description: "")],
            plans: [PolicyPlan(planId: "plan.a", description: "", values: ["quota.gpus": .integer(1)])])
        try good.check()
        var badDefault = good
        badDefault.policies[0].default = .flag(true)
        var badPlanValue = good
        badPlanValue.plans[0].values["quota.gpus"] = .list(["x"])
        var unknownKey = good
        unknownKey.plans[0].values["quota.nope"] = .integer(1)
        var duplicatePlan = good
        duplicatePlan.plans.append(good.plans[0])
        for bad in [badDefault, badPlanValue, unknownKey, duplicatePlan] {
            #expect(throws: PlatformError.self) { try bad.check() }
            do { try bad.check() } catch { #expect(error.code == .configInvalid) }
        }
    }

    @Test("a snapshot document round-trips through JSON with integers 0 and 1 staying integers")
    func snapshotDocumentRoundTrips() throws {
        let snapshot = PolicySnapshot(
            id: "01J", version: 1, createdAt: Timestamp(millisecondsSinceEpoch: 1_800_000_000_123),
            definitions: testPolicyRegistry.definitions, plans: testPolicyRegistry.plansByID, defaultPlan: "plan.standard",
            tenantPlans: ["t1": "plan.research"], departments: ["t1": ["ml": ["p1"]]],
            overrides: [PolicyOverride(target: .project("p1"), key: "quota.gpus", value: .integer(1)),
                        PolicyOverride(target: .department(tenant: "t1", name: "ml"), key: "quota.gpus", value: .integer(0)),
                        PolicyOverride(target: .tenant("t1"), key: "quota.gpus_by_model", value: .integerMap(["H100": 1]))])
        let back = try JSONDecoder().decode(PolicySnapshot.self, from: try JSONEncoder().encode(snapshot))
        #expect(back == snapshot)
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import PlatformAPI
import PlatformContracts
import PlatformServer
import PlatformTestKit
import Testing

/// Issue 18 point 6 over HTTP on a live server: policy writes make new snapshots that the
/// reads show with their provenance, flags answer in OpenFeature's vocabulary, and writes
/// need `policy:write`, which no project role holds.
@Suite("Policy API over HTTP")
struct PolicyAPIProcessTests {
    @Test("a project override shows in show and explain with its level, source and a new snapshot id", arguments: ServerBackend.enabled)
    func setThenShowAndExplainReflectIt(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, project, _, member) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "dev")
            let before = try await fixture.ok(.get, Endpoints.listProjectPolicies.path(.init(project: project.id)), key: member.key,
                                              as: ProjectPolicies.self)
            let planValue = try #require(before.policies.first { $0.key == "quota.concurrent_instances" })
            #expect(planValue.level == .plan && planValue.source == "plan.standard" && planValue.value == .integer(20))
            #expect(before.placement.plan == "plan.standard" && before.placement.tenant == project.tenantId)
            #expect(!before.snapshot.stale && before.snapshot.ageMs >= 0)

            let change = try await fixture.ok(
                .put, Endpoints.setPolicy.path(.init(policy: "quota.concurrent_instances")), key: fixture.adminKey,
                body: ["project": project.id, "value": 3], as: PolicyChange.self)
            #expect(change.snapshot != before.snapshot.id && change.version > before.snapshot.version)

            let after = try await fixture.ok(.get, Endpoints.listProjectPolicies.path(.init(project: project.id)), key: member.key,
                                             as: ProjectPolicies.self)
            let overridden = try #require(after.policies.first { $0.key == "quota.concurrent_instances" })
            #expect(overridden.value == .integer(3) && overridden.level == .project && overridden.source == "project/\(project.id)")
            #expect(after.snapshot.id == change.snapshot)
            // Other keys are untouched.
            #expect(after.policies.first { $0.key == "quota.gpus" }?.value == .integer(8))

            let explained = try await fixture.ok(
                .get, Endpoints.explainPolicy.path(.init(project: project.id, "quota.concurrent_instances")), key: member.key,
                as: PolicyExplanation.self)
            #expect(explained.chain.map(\.level) == [.registryDefault, .plan, .project])
            #expect(explained.chain.map(\.value) == [.integer(20), .integer(20), .integer(3)])
            #expect(explained.winner == PolicySource(level: .project, name: "project/\(project.id)", value: .integer(3)))
            #expect(explained.snapshot.id == change.snapshot && explained.definition.type == .integer)

            // The change is audited with the snapshot it made.
            let records = try await fixture.ok(.get, "/v1/audit/records?action=policy.value.set", key: fixture.adminKey, as: [AuditRecord].self)
            #expect(records.contains { $0.target == "project/\(project.id)" && $0.details.values.contains(change.snapshot) }, "\(records)")

            // Clearing (no value) falls back to the plan, with yet another snapshot.
            let cleared = try await fixture.ok(
                .put, Endpoints.setPolicy.path(.init(policy: "quota.concurrent_instances")), key: fixture.adminKey,
                body: ["project": project.id], as: PolicyChange.self)
            #expect(cleared.snapshot != change.snapshot)
            let reverted = try await fixture.ok(
                .get, Endpoints.explainPolicy.path(.init(project: project.id, "quota.concurrent_instances")), key: member.key,
                as: PolicyExplanation.self)
            #expect(reverted.winner.level == .plan && reverted.winner.value == .integer(20))
        }
    }

    @Test("past the freshness budget, reads still answer, stamped stale with the snapshot's age")
    func staleReadsAreStampedNotRefused() async throws {
        try await withTemporaryDirectory { directory async throws in
            var configuration = testConfiguration(dataDirectory: directory.path)
            // A one-second budget and no refresh within the test: the snapshot goes stale.
            configuration.policyFreshnessBudgetSeconds = 1
            configuration.policyRefreshIntervalSeconds = 3600
            let server = try await PlatformServer.bootstrap(configuration, logger: quietLogger)
            try await server.application.test(.live) { client in
                let key = try String(contentsOf: server.bootstrapKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                let fixture = IAMFixture(client: client, server: server, adminKey: key)
                let (_, project, _, member) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "dev")
                try await Task.sleep(for: .milliseconds(1500))
                let policies = try await fixture.ok(.get, Endpoints.listProjectPolicies.path(.init(project: project.id)), key: member.key,
                                                    as: ProjectPolicies.self)
                #expect(policies.snapshot.stale && policies.snapshot.ageMs >= 1000, "\(policies.snapshot)")
                #expect(!policies.policies.isEmpty)
                let flags = try await fixture.ok(.get, Endpoints.listProjectFlags.path(.init(project: project.id)), key: member.key,
                                                 as: ProjectFlags.self)
                // The evaluation keeps its own reason; the stamp says the snapshot is stale.
                #expect(flags.snapshot.stale && flags.flags.first { $0.flagKey == "connect.ssh" }?.reason == .static)
            }
        }
    }

    @Test("writes need policy:write; unknown keys are 404 policy.key_unknown and wrong types 400 policy.value_invalid")
    func refusals() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let (tenant, project, _, member) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "dev")
            let path = Endpoints.setPolicy.path(.init(policy: "quota.gpus"))
            let denied = try await fixture.call(.put, path, key: member.key, body: ["project": project.id, "value": 64])
            #expect(denied.status == .forbidden && denied.errorCode == "iam.forbidden")
            let deniedPlan = try await fixture.call(.put, Endpoints.assignPlan.path(.init(tenant: tenant.id)), key: member.key,
                                                    body: ["plan": "plan.research"])
            #expect(deniedPlan.status == .forbidden)

            let unknown = try await fixture.call(.put, Endpoints.setPolicy.path(.init(policy: "quota.nonexistent")), key: fixture.adminKey,
                                                 body: ["project": project.id, "value": 1])
            #expect(unknown.status == .notFound && unknown.errorCode == "policy.key_unknown")
            let unknownRead = try await fixture.call(
                .get, Endpoints.explainPolicy.path(.init(project: project.id, "quota.nonexistent")), key: member.key)
            #expect(unknownRead.status == .notFound && unknownRead.errorCode == "policy.key_unknown")

            let wrongType = try await fixture.call(.put, path, key: fixture.adminKey, body: ["project": project.id, "value": true])
            #expect(wrongType.status == .badRequest && wrongType.errorCode == "policy.value_invalid")
            let notAFlag = try await fixture.call(.put, Endpoints.setFlag.path(.init(flag: "quota.gpus")), key: fixture.adminKey,
                                                  body: ["project": project.id, "value": false])
            #expect(notAFlag.status == .notFound && notAFlag.errorCode == "policy.key_unknown")
            let unknownPlan = try await fixture.call(.put, Endpoints.assignPlan.path(.init(tenant: tenant.id)), key: fixture.adminKey,
                                                     body: ["plan": "plan.gold"])
            #expect(unknownPlan.status == .notFound && unknownPlan.errorCode == "policy.plan_unknown")
            let noTarget = try await fixture.call(.put, path, key: fixture.adminKey, body: ["value": 1])
            #expect(noTarget.status == .badRequest)
            let noTenant = try await fixture.call(.put, path, key: fixture.adminKey, body: ["tenant": "nobody", "value": 1])
            #expect(noTenant.status == .notFound && noTenant.errorCode == "iam.not_found")
        }
    }

    @Test("flags answer OpenFeature's evaluation details; a tenant override is a TARGETING_MATCH; plans, departments")
    func flagsPlansAndDepartments() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let (tenant, project, _, member) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "dev")
            let flagsPath = Endpoints.listProjectFlags.path(.init(project: project.id))
            let flags = try await fixture.ok(.get, flagsPath, key: member.key, as: ProjectFlags.self)
            let ssh = try #require(flags.flags.first { $0.flagKey == "connect.ssh" })
            #expect(ssh.value && ssh.variant == "on" && ssh.reason == .static && ssh.targeting == "plan.standard")
            #expect(ssh.snapshot == flags.snapshot.id)
            // The raw document carries OpenFeature's field names.
            let raw = try await fixture.call(.get, flagsPath, key: member.key)
            let text = String(decoding: raw.body, as: UTF8.self)
            for field in ["\"flagKey\"", "\"variant\"", "\"reason\"", "\"targeting\"", "\"stale\"", "\"ageMs\""] {
                #expect(text.contains(field), "\(text)")
            }

            let off = try await fixture.ok(.put, Endpoints.setFlag.path(.init(flag: "connect.ssh")), key: fixture.adminKey,
                                           body: ["tenant": "acme", "value": false], as: PolicyChange.self)
            let after = try await fixture.ok(.get, flagsPath, key: member.key, as: ProjectFlags.self)
            let sshOff = try #require(after.flags.first { $0.flagKey == "connect.ssh" })
            #expect(!sshOff.value && sshOff.variant == "off" && sshOff.reason == .targetingMatch)
            #expect(sshOff.targeting == "tenant/\(tenant.id)" && sshOff.snapshot == off.snapshot)

            let plans = try await fixture.ok(.get, Endpoints.listPlans.path(.init()), key: member.key, as: PolicyPlans.self)
            #expect(plans.defaultPlan == "plan.standard")
            #expect(plans.plans.first { $0.planId == "plan.research" }?.values["quota.gpus"] == .integer(64))
            #expect(plans.definitions.contains { $0.policyKey == "runtime.slurm" && $0.scope == .tenant })

            _ = try await fixture.ok(.put, Endpoints.assignPlan.path(.init(tenant: "acme")), key: fixture.adminKey,
                                     body: ["plan": "plan.research"], as: PolicyChange.self)
            let department = try await fixture.ok(
                .put, Endpoints.setDepartment.path(.init(tenant: "acme", department: "research")), key: fixture.adminKey,
                body: ["projects": ["acme/p1"]], as: PolicyChange.self)
            _ = try await fixture.ok(.put, Endpoints.setPolicy.path(.init(policy: "quota.gpus")), key: fixture.adminKey,
                                     body: ["tenant": "acme", "department": "research", "value": 16], as: PolicyChange.self)
            let shown = try await fixture.ok(.get, Endpoints.listProjectPolicies.path(.init(project: project.id)), key: member.key,
                                             as: ProjectPolicies.self)
            #expect(shown.placement.plan == "plan.research" && shown.placement.department == "research")
            let gpus = shown.policies.first { $0.key == "quota.gpus" }
            #expect(gpus?.value == .integer(16) && gpus?.level == .department)
            #expect(shown.policies.first { $0.key == "quota.concurrent_instances" }?.value == .integer(100))
            #expect(shown.snapshot.version > department.version)
        }
    }
}

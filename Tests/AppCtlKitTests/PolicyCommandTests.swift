import AppCtlKit
import Foundation
import PlatformAPI
import PlatformContracts
import PlatformTestKit
import Testing

@Suite("appctl policy, plan and flag", .tags(.integration))
struct PolicyCommandTests {
    @Test("set then show and explain name the winning level and a new snapshot; plans, departments and flags round-trip")
    func policyFlow() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                let keyFile = directory.appending("server/bootstrap-admin.key").path
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", keyFile).exitCode == 0)
                #expect(await appctl.run("tenant", "create", "acme").exitCode == 0)
                #expect(await appctl.run("project", "create", "vision", "--tenant", "acme").exitCode == 0)

                let shown = await appctl.run("policy", "show", "--project", "acme/vision")
                #expect(shown.exitCode == 0, "\(shown.errorOutput)")
                #expect(shown.output.contains("KEY") && shown.output.contains("SOURCE"))
                #expect(shown.output.range(of: "quota.concurrent_instances +20 +plan plan.standard", options: .regularExpression) != nil,
                        "\(shown.output)")
                #expect(shown.output.contains("Policy snapshot "))
                let before = try Self.decode(ProjectPolicies.self, await appctl.run("policy", "show", "--project", "acme/vision", "-o", "json"))

                let set = await appctl.run("policy", "set", "quota.concurrent_instances", "3", "--project", "acme/vision", "-o", "json")
                #expect(set.exitCode == 0, "\(set.errorOutput)")
                let change = try Self.decode(PolicyChange.self, set)
                #expect(change.snapshot != before.snapshot.id)

                let explained = await appctl.run("policy", "explain", "quota.concurrent_instances", "--project", "acme/vision")
                #expect(explained.exitCode == 0, "\(explained.errorOutput)")
                let lines = explained.output.split(separator: "\n").map(String.init)
                // The winner is marked; the levels that set nothing read "-".
                #expect(lines.contains { $0.range(of: "^\\* +project +project/[0-9A-Z]{26} +3$", options: .regularExpression) != nil },
                        "\(explained.output)")
                #expect(lines.contains { $0.range(of: "^ +plan +plan.standard +20$", options: .regularExpression) != nil }, "\(explained.output)")
                #expect(lines.contains { $0.range(of: "^ +tenant +- +-$", options: .regularExpression) != nil }, "\(explained.output)")
                #expect(explained.output.contains(change.snapshot))

                // Wrong text for the type, and an unknown key, are refused before any change.
                let invalid = await appctl.run("policy", "set", "quota.concurrent_instances", "lots", "--project", "acme/vision")
                #expect(invalid.exitCode == 65 && invalid.errorOutput.contains("policy.value_invalid"), "\(invalid.errorOutput)")
                let unknown = await appctl.run("policy", "set", "quota.nonexistent", "1", "--tenant", "acme")
                #expect(unknown.exitCode == 66 && unknown.errorOutput.contains("policy.key_unknown"), "\(unknown.errorOutput)")
                #expect(await appctl.run("policy", "set", "quota.gpus", "1").exitCode == 64)
                #expect(await appctl.run("policy", "set", "quota.gpus", "1", "--tenant", "acme", "--project", "acme/vision").exitCode == 64)

                let cleared = await appctl.run("policy", "clear", "quota.concurrent_instances", "--project", "acme/vision")
                #expect(cleared.exitCode == 0 && cleared.output.contains("cleared"), "\(cleared.errorOutput)")

                let plans = await appctl.run("plan", "list")
                #expect(plans.output.contains("plan.standard (default)") && plans.output.contains("plan.research"), "\(plans.output)")
                #expect(await appctl.run("plan", "assign", "plan.research", "--tenant", "acme").exitCode == 0)
                let unknownPlan = await appctl.run("plan", "assign", "plan.gold", "--tenant", "acme")
                #expect(unknownPlan.exitCode != 0 && unknownPlan.errorOutput.contains("policy.plan_unknown"), "\(unknownPlan.errorOutput)")

                let department = await appctl.run("policy", "department", "set", "acme/research", "--project", "acme/vision")
                #expect(department.exitCode == 0, "\(department.errorOutput)")
                #expect(await appctl.run("policy", "set", "quota.gpus", "16", "--department", "acme/research").exitCode == 0)
                let after = try Self.decode(ProjectPolicies.self, await appctl.run("policy", "show", "--project", "acme/vision", "-o", "json"))
                #expect(after.placement.plan == "plan.research" && after.placement.department == "research")
                #expect(after.policies.first { $0.key == "quota.gpus" }?.level == .department)
                #expect(after.policies.first { $0.key == "quota.concurrent_instances" }?.value == .integer(100))

                let flags = await appctl.run("flag", "list", "--project", "acme/vision")
                #expect(flags.output.contains("FLAG") && flags.output.contains("VARIANT") && flags.output.contains("TARGETING"))
                #expect(flags.output.range(of: "runtime.slurm +true +on +STATIC +plan.research", options: .regularExpression) != nil,
                        "\(flags.output)")
                #expect(await appctl.run("flag", "set", "connect.ssh", "off", "--project", "acme/vision").exitCode == 0)
                let evaluated = try Self.decode(ProjectFlags.self, await appctl.run("flag", "list", "--project", "acme/vision", "-o", "json"))
                let ssh = try #require(evaluated.flags.first { $0.flagKey == "connect.ssh" })
                #expect(!ssh.value && ssh.variant == "off" && ssh.reason == .targetingMatch && ssh.targeting.hasPrefix("project/"))
                #expect(await appctl.run("flag", "set", "connect.ssh", "maybe", "--project", "acme/vision").exitCode == 64)
                let notAFlag = await appctl.run("flag", "set", "quota.gpus", "on", "--project", "acme/vision")
                #expect(notAFlag.exitCode == 66 && notAFlag.errorOutput.contains("policy.key_unknown"), "\(notAFlag.errorOutput)")

                // Every change is in the audit log.
                let audit = await appctl.run("audit", "list", "--action", "policy.value.set")
                #expect(audit.output.contains("policy.value.set"), "\(audit.output)")
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ result: CommandHarness.Result) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(result.output.utf8))
    }
}

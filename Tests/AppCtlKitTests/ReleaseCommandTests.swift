import AppCtlKit
import Foundation
import PlatformContracts
import PlatformTestKit
import Testing

/// `appctl release` against a live server: create by tag, list, show, gates (table and JSON),
/// a signed uat-result added with a local key, platform-made migration status, bad input
/// refused before any request, self approval refused and a second principal's accepted, and
/// promotion refused for a project key and, for the platform, per gate.
@Suite("appctl release", .tags(.integration))
struct ReleaseCommandTests {
    static let sha = String(repeating: "c0", count: 20)

    @Test("create, list, show, gates, evidence add and platform, approve (self refused), promote refused per gate")
    func releaseFlow() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", directory.appending("server/bootstrap-admin.key").path).exitCode == 0)
                #expect(await appctl.run("tenant", "create", "acme").exitCode == 0)
                let project = try JSONDecoder().decode(
                    Project.self, from: Data(await appctl.run("project", "create", "shop", "--tenant", "acme", "-o", "json").output.utf8))
                let repository = "\(project.id.lowercased())/app"
                let layout = directory.appending("layout").path
                let build = try ChildProcess("/bin/bash", [ArtifactCommandTests.repositoryRoot.appendingPathComponent("scripts/oci/make-image.sh").path, layout],
                                             outputPath: directory.appending("make.log").path)
                #expect(await build.wait(timeout: .seconds(120)) == 0, "\(build.output)")
                let pushed = await appctl.run("artifact", "push", layout, "\(repository):v1", "-o", "json")
                #expect(pushed.exitCode == 0, "\(pushed.errorOutput)")
                struct Pushed: Decodable { var digest: String }
                let digest = try JSONDecoder().decode(Pushed.self, from: Data(pushed.output.utf8)).digest
                let keyPath = directory.appending("signer.pem").path
                #expect(await appctl.run("signing-key", "generate", "--out", keyPath).exitCode == 0)
                #expect(await appctl.run("signing-key", "add", "--project", project.id, "--name", "ci", "--public-key", keyPath + ".pub").exitCode == 0)

                // Bad input is a usage error before any request.
                #expect(await appctl.run("release", "create", "--project", project.id, "--environment", "production", "--artifact", digest,
                                         "--source-sha", "abc", "--branch", "main").exitCode == 64)
                #expect(await appctl.run("release", "create", "--project", project.id, "--environment", "production",
                                         "--source-sha", Self.sha, "--branch", "main").exitCode == 64)

                let created = await appctl.run("release", "create", "--project", project.id, "--environment", "production",
                                               "--artifact", "\(repository):v1", "--source-sha", Self.sha, "--branch", "main", "-o", "json")
                #expect(created.exitCode == 0, "\(created.errorOutput)")
                let release = try JSONDecoder().decode(Release.self, from: Data(created.output.utf8))
                #expect(release.artifacts == [digest], "the tag was resolved to its digest")
                let listed = await appctl.run("release", "list", "--project", project.id)
                #expect(listed.exitCode == 0 && listed.output.contains(release.id) && listed.output.contains("candidate"), "\(listed.output)")

                let gates = await appctl.run("release", "gates", release.id, "--project", project.id)
                #expect(gates.exitCode == 0 && gates.output.contains("uat-automation") && gates.output.contains("FAIL")
                        && gates.output.contains("missing uat_result"), "\(gates.output)\(gates.errorOutput)")

                // A signed uat-result, subjects the release's artifacts, signed locally.
                let uat = directory.appending("uat.json")
                try Data(#"{"suite": "checkout", "total": 12, "passed": 12, "failed": 0}"#.utf8).write(to: uat)
                let added = await appctl.run("release", "evidence", "add", release.id, "--project", project.id, "--type", "uat-result", uat.path,
                                             "--key", keyPath)
                #expect(added.exitCode == 0 && added.output.contains("Attached uat-result"), "\(added.errorOutput)")
                #expect(await appctl.run("release", "evidence", "add", release.id, "--project", project.id, "--type", "no-such-type", uat.path,
                                         "--key", keyPath).exitCode == 65)

                // Platform-made evidence; bad kinds and a missing report are usage errors.
                #expect(await appctl.run("release", "evidence", "platform", release.id, "--project", project.id, "--kind", "bogus").exitCode == 64)
                #expect(await appctl.run("release", "evidence", "platform", release.id, "--project", project.id, "--kind", "contract-drift").exitCode == 64)
                let migration = await appctl.run("release", "evidence", "platform", release.id, "--project", project.id, "--kind", "migration-status")
                #expect(migration.exitCode == 0 && migration.output.contains("platform-signed migration-status"), "\(migration.errorOutput)")
                let report = directory.appending("contract.json")
                try Data(#"{"sourceSha": "\#(String(repeating: "0", count: 40))", "checkedAt": "2026-12-06T00:00:00Z", "result": "pass", "artifacts": []}"#.utf8)
                    .write(to: report)
                let otherCommit = await appctl.run("release", "evidence", "platform", release.id, "--project", project.id, "--kind", "contract-drift",
                                                   "--report", report.path)
                #expect(otherCommit.exitCode == 65 && otherCommit.errorOutput.contains("release.invalid"), "\(otherCommit.errorOutput)")

                let json = await appctl.run("release", "gates", release.id, "--project", project.id, "-o", "json")
                let decision = try JSONDecoder().decode(ReleaseDecision.self, from: Data(json.output.utf8))
                let uatGate = try #require(decision.gates.first { $0.gate == .uatAutomation })
                #expect(!uatGate.missing.contains { $0.contains("uat_result") } && !uatGate.inputs.isEmpty, "the signed UAT result counts: \(uatGate)")
                #expect(decision.verificationResult == "FAILED" && decision.id == nil, "gates records nothing")

                let shown = await appctl.run("release", "show", release.id, "--project", project.id)
                #expect(shown.exitCode == 0 && shown.output.contains("uat_result") && shown.output.contains("migration-status")
                        && shown.output.contains("security_scan       security-scan"), "\(shown.output)")

                // The creator and attacher cannot approve; a second principal can.
                let selfApproval = await appctl.run("release", "approve", release.id, "--project", project.id, "--comment", "lgtm")
                #expect(selfApproval.exitCode == 77 && selfApproval.errorOutput.contains("release.self_approval"), "\(selfApproval.errorOutput)")
                #expect(await appctl.run("release", "approve", release.id, "--project", project.id, "--as", "boss", "--comment", "x").exitCode == 64)
                #expect(await appctl.run("serviceaccount", "create", "reviewer", "--project", project.id, "--role", "project-admin").exitCode == 0)
                let issued = await appctl.run("key", "create", "--serviceaccount", "reviewer", "--scope", "release:read", "--scope", "release:approve",
                                              "--scope", "release:write", "--expires", "1d", "-o", "json")
                #expect(issued.exitCode == 0, "\(issued.errorOutput)")
                let reviewerKey = try JSONDecoder().decode(IssuedKey.self, from: Data(issued.output.utf8)).key
                let approved = await appctl.run("release", "approve", release.id, "--project", project.id, "--comment", "reviewed the bundle",
                                                "--token", reviewerKey)
                #expect(approved.exitCode == 0 && approved.output.contains("1 approval"), "\(approved.errorOutput)")

                // A project key does not promote; the platform is refused per gate and the decision recorded.
                let byProject = await appctl.run("release", "promote", release.id, "--project", project.id, "--token", reviewerKey)
                #expect(byProject.exitCode == 77, "\(byProject.errorOutput)")
                let refused = await appctl.run("release", "promote", release.id, "--project", project.id)
                #expect(refused.exitCode == 65 && refused.errorOutput.contains("security-evidence: ")
                        && refused.errorOutput.contains("contract-sdk-drift: "), "\(refused.errorOutput)")
                let after = await appctl.run("release", "show", release.id, "--project", project.id, "-o", "json")
                let recorded = try JSONDecoder().decode(Release.self, from: Data(after.output.utf8))
                #expect(recorded.state == .candidate && recorded.decision?.verificationResult == "FAILED" && recorded.approvals.count == 1)
            }
        }
    }
}

import AppCtlKit
import Foundation
import PlatformContracts
import PlatformTestKit
import Testing

/// Names people can type (issue 17.6) in `appctl`: `--project tenant/project`, a context's
/// default project, and `<tenant>/<project>/<name>` repositories.
@Suite("appctl project names")
struct ProjectNamesCommandTests {
    @Test("a context keeps a default project; set-project changes and clears it; a bad reference is a usage error")
    func contextDefaultProject() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            #expect(await appctl.run("context", "add", "local", "--server", "http://127.0.0.1:1", "--project", "acme/ml").exitCode == 0)
            #expect(await appctl.run("context", "list").output.contains("acme/ml"))
            #expect(await appctl.run("context", "set-project", "acme/vision").exitCode == 0)
            let rows = try JSONDecoder().decode([ContextListCommand.Row].self, from: Data(await appctl.run("context", "list", "-o", "json").output.utf8))
            #expect(rows.first?.project == "acme/vision")
            #expect(await appctl.run("context", "set-project").exitCode == 0)
            #expect(try JSONDecoder().decode([ContextListCommand.Row].self, from: Data(await appctl.run("context", "list", "-o", "json").output.utf8))
                .first?.project == nil)
            for bad in ["acme", "Acme/ml", "acme/ml/x", "a b/c"] {
                #expect(await appctl.run("context", "set-project", bad).exitCode == 64, "\(bad)")
            }
            let missing = await appctl.run("instance", "list")
            #expect(missing.exitCode == 64 && missing.errorOutput.contains("--project tenant/project"), "\(missing.errorOutput)")
        }
    }

    @Test("--project tenant/project, APPCTL_PROJECT and the context default reach the project; repositories by names and by the uppercase id are one")
    func projectByNamesEverywhere() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withServer(directory) { url async throws in
                var appctl = CommandHarness(directory: directory)
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", directory.appending("server/bootstrap-admin.key").path).exitCode == 0)
                #expect(await appctl.run("tenant", "create", "acme").exitCode == 0)
                let project = try JSONDecoder().decode(
                    Project.self, from: Data(await appctl.run("project", "create", "vision", "--tenant", "acme", "-o", "json").output.utf8))
                let layout = directory.appending("layout").path
                let build = try ChildProcess("/bin/bash", [ArtifactCommandTests.repositoryRoot.appendingPathComponent("scripts/oci/make-image.sh").path, layout],
                                             outputPath: directory.appending("make.log").path)
                #expect(await build.wait(timeout: .seconds(120)) == 0, "\(build.output)")

                let pushed = await appctl.run("artifact", "push", layout, "acme/vision/app:v1", "-o", "json")
                #expect(pushed.exitCode == 0, "\(pushed.errorOutput)")
                let digest = try #require(try JSONSerialization.jsonObject(with: Data(pushed.output.utf8)) as? [String: Any])["digest"] as? String
                let byUpperID = await appctl.run("artifact", "status", "\(project.id)/app@\(try #require(digest))", "-o", "json")
                #expect(byUpperID.exitCode == 0, "the uppercase id appctl prints is accepted: \(byUpperID.errorOutput)")

                let listed = await appctl.run("artifact", "list", "--project", "acme/vision", "-o", "json")
                #expect(listed.exitCode == 0 && listed.output.contains("\(project.id.lowercased())/app"), "\(listed.output) \(listed.errorOutput)")
                appctl.environment["APPCTL_PROJECT"] = "acme/vision"
                #expect(await appctl.run("artifact", "list").output.contains(digest ?? "-"))
                appctl.environment["APPCTL_PROJECT"] = nil
                #expect(await appctl.run("context", "set-project", "acme/vision").exitCode == 0)
                #expect(await appctl.run("instance", "list").exitCode == 0)
                #expect(await appctl.run("signing-key", "list", "--project", project.id.lowercased()).exitCode == 0)
                let unknown = await appctl.run("artifact", "list", "--project", "acme/nope")
                #expect(unknown.exitCode != 0 && unknown.errorOutput.contains("iam.not_found"), "\(unknown.errorOutput)")
            }
        }
    }
}

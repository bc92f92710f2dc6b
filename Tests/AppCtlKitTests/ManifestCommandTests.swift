import AppCtlKit
import Foundation
import ManifestKit
import PlatformContracts
import PlatformTestKit
import Testing

@Suite("appctl manifest validate")
struct ManifestCommandTests {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the supported apps validate offline (exit 0); a typo is invalid (exit 65) with did-you-mean and its line")
    func validateFiles() async throws {
        try await withTemporaryDirectory { directory async throws in
            var appctl = CommandHarness(directory: directory)
            appctl.environment["APPCTL_REGISTRY_DIR"] = Self.checkout.appendingPathComponent("manifests/platform").path
            let apps = ["hello", "jupyter-lab", "vscode-server", "vllm-inference", "finetune-job", "tensorboard"]
                .map { Self.checkout.appendingPathComponent("manifests/apps/\($0).yaml").path }
            let valid = await appctl.run(["manifest", "validate"] + apps)
            #expect(valid.exitCode == 0, "\(valid.output)\(valid.errorOutput)")
            #expect(valid.output.components(separatedBy: ": valid").count == 7)

            let typo = directory.appending("typo.yaml")
            let text = try String(contentsOfFile: apps[0], encoding: .utf8)
                .replacingOccurrences(of: "resources:\n", with: "resouces:\n")
            try text.write(to: typo, atomically: true, encoding: .utf8)
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("resouces:") }! + 1
            let invalid = await appctl.run("manifest", "validate", typo.path)
            #expect(invalid.exitCode == 65)
            #expect(invalid.output.contains("\(typo.path):\(line):1: error[manifest.unknown_key] /resouces: unknown key `resouces` (did you mean `resources`?)"))

            let json = await appctl.run("manifest", "validate", typo.path, apps[1], "-o", "json")
            #expect(json.exitCode == 65)
            let reports = try JSONDecoder().decode([ManifestValidationReport].self, from: Data(json.output.utf8))
            #expect(reports.map(\.valid) == [false, true])
            #expect(reports[0].diagnostics.contains { $0.code == "manifest.required_missing" })
        }
    }
}

@Suite("appctl app", .tags(.integration))
struct AppCommandTests {
    @Test("register, list and show; an invalid manifest is refused with the offline validator's lines (exit 65)")
    func registerFlow() async throws {
        try await withTemporaryDirectory { directory async throws in
            var harness = CommandHarness(directory: directory)
            harness.environment["APPCTL_REGISTRY_DIR"] = ManifestCommandTests.checkout.appendingPathComponent("manifests/platform").path
            let appctl = harness
            try await withServer(directory) { url async throws in
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", directory.appending("server/bootstrap-admin.key").path).exitCode == 0)
                #expect(await appctl.run("tenant", "create", "acme").exitCode == 0)
                let project = try JSONDecoder().decode(
                    Project.self, from: Data(await appctl.run("project", "create", "p1", "--tenant", "acme", "-o", "json").output.utf8))
                let hello = ManifestCommandTests.checkout.appendingPathComponent("manifests/apps/hello.yaml").path
                let registered = await appctl.run("app", "register", hello, "--project", project.id)
                #expect(registered.exitCode == 0, "\(registered.errorOutput)")
                #expect(await appctl.run("app", "list", "--project", project.id).output.contains("hello"))
                #expect(await appctl.run("app", "show", "hello", "--project", project.id).output.contains("apiVersion: apps.platform/v1"))

                let broken = directory.appending("broken.yaml").path
                try String(contentsOfFile: hello, encoding: .utf8).replacingOccurrences(of: "resources:\n", with: "resouces:\n")
                    .write(toFile: broken, atomically: true, encoding: .utf8)
                let offline = await appctl.run("manifest", "validate", broken)
                let refused = await appctl.run("app", "register", broken, "--project", project.id)
                #expect(refused.exitCode == 65)
                let offlineLines = offline.output.split(separator: "\n").filter { $0.contains("error[") }
                let serverLines = refused.output.split(separator: "\n").filter { $0.contains("error[") }
                #expect(!offlineLines.isEmpty && serverLines == offlineLines)
            }
        }
    }
}

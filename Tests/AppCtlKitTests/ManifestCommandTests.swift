import AppCtlKit
import Foundation
import ManifestKit
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

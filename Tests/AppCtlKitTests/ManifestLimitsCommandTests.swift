import AppCtlKit
import Foundation
import PlatformTestKit
import Testing

@Suite("appctl manifest validate: document limits")
struct ManifestLimitsCommandTests {
    @Test("an alias bomb is refused unread: exit 65, manifests.too_complex and its line:column")
    func aliasBombIsRefusedByManifestValidate() async throws {
        try await withTemporaryDirectory { directory async throws in
            var appctl = CommandHarness(directory: directory)
            appctl.environment["APPCTL_REGISTRY_DIR"] = ManifestCommandTests.checkout.appendingPathComponent("manifests/platform").path
            var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
            for level in 1..<10 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]") }
            let bomb = directory.appending("bomb.yaml")
            try (lines.joined(separator: "\n") + "\n").write(to: bomb, atomically: true, encoding: .utf8)

            let refused = await appctl.run("manifest", "validate", bomb.path)
            #expect(refused.exitCode == 65)
            #expect(refused.output.contains("\(bomb.path):6:"))
            #expect(refused.output.contains("error[manifests.too_complex] /: the document expands to more than 100000 nodes"))
            #expect(refused.errorOutput.contains("manifests.too_complex"), "\(refused.errorOutput)")
        }
    }
}

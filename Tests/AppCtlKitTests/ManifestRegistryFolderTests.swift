import AppCtlKit
import Foundation
import PlatformTestKit
import Testing

/// How `appctl manifest validate` finds the registry files: platformd's rule, nothing
/// searched for. `--registry-dir` (`APPCTL_REGISTRY_DIR`) names the folder itself, else
/// `manifests/platform` under `--resources` (`APPCTL_RESOURCES`), by default the working
/// directory (the checkout root when tests run).
@Suite("appctl manifest validate: the registry folder")
struct ManifestRegistryFolderTests {
    static let checkout = ManifestCommandTests.checkout
    static var hello: String { checkout.appendingPathComponent("manifests/apps/hello.yaml").path }

    @Test func registriesComeFromTheWorkingDirectoryByDefault() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            #expect(FileManager.default.currentDirectoryPath == Self.checkout.path, "swift test runs from the package root")
            let valid = await appctl.run("manifest", "validate", Self.hello)
            #expect(valid.exitCode == 0, "\(valid.output)\(valid.errorOutput)")
        }
    }

    @Test func resourcesNameTheFolderAndNothingIsSearchedUpward() async throws {
        try await withTemporaryDirectory { directory async throws in
            var appctl = CommandHarness(directory: directory)
            #expect(await appctl.run("manifest", "validate", Self.hello, "--resources", Self.checkout.path).exitCode == 0)
            // A folder inside the checkout: the old upward walk found the registries from here.
            let inside = Self.checkout.appendingPathComponent("Tests").path
            let refused = await appctl.run("manifest", "validate", Self.hello, "--resources", inside)
            #expect(refused.exitCode == 78)
            #expect(refused.errorOutput.contains("no scopes.yaml in the registry folder \(inside)/manifests/platform"), "\(refused.errorOutput)")
            #expect(refused.errorOutput.contains("--resources"))

            appctl.environment["APPCTL_RESOURCES"] = inside
            #expect(await appctl.run("manifest", "validate", Self.hello).exitCode == 78, "the environment is read like the flag")
            #expect(await appctl.run("manifest", "validate", Self.hello, "--resources", Self.checkout.path).exitCode == 0, "the flag wins")
            let registries = Self.checkout.appendingPathComponent("manifests/platform").path
            #expect(await appctl.run("manifest", "validate", Self.hello, "--registry-dir", registries).exitCode == 0,
                    "--registry-dir wins over the resources")
            appctl.environment["APPCTL_REGISTRY_DIR"] = directory.path
            let wrongDir = await appctl.run("manifest", "validate", Self.hello, "--resources", Self.checkout.path)
            #expect(wrongDir.exitCode == 78 && wrongDir.errorOutput.contains("--registry-dir (APPCTL_REGISTRY_DIR)"), "\(wrongDir.errorOutput)")
        }
    }
}

import Foundation
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Docs as tests: every command of the portal's onboarding track and how-tos, exactly as
/// the committed pages print them, run in page order in one shell against a live
/// `platformd` (local runc adapter, the reference app published by its `publish.sh`), and
/// each step's output must match the page's expected output. A command that stops working,
/// or prints something else than the page says, fails this test.
@Suite("Portal guides run against a live platformd", .serialized, .tags(.integration))
struct GuideProcessTests {
    static let root = InstanceProcessTests.root

    @Test("the onboarding track and the how-tos, command by command, against a live platformd")
    func guidesRun() async throws {
        try await withTemporaryDirectory { directory async throws in
            let daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0)
            let home = directory.appending("home")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            let binaries = URL(fileURLWithPath: InstanceProcessTests.appctl).deletingLastPathComponent().path
            let environment = [
                "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path,
                "PATH": "\(binaries):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")",
                "PLATFORM_SERVER": daemon.base, "PLATFORM_ADMIN_KEY": directory.appending("data/bootstrap-admin.key").path,
                // `appctl contract check` (the release how-to's contract-drift report) regenerates
                // the Python SDK with the pinned generator: the one scripts/test.sh already set up
                // under the real home, not a fresh install from PyPI into the guides' empty home.
                "SDK_PYTHON_VENV": try Self.pythonSDKVenv(),
            ]
            // The pages run in a commit of this working tree: the release how-to names the
            // checkout's commit as its source SHA and has `appctl contract check` vouch for it,
            // which counts only for a clean tree (CheckoutSnapshot).
            let checkout = directory.appending("checkout")
            _ = try await CheckoutSnapshot.make(of: Self.root, at: checkout, log: directory.appending("snapshot.log"))
            // The pages in the order the sidebar lists them (what a reader follows).
            let runner = try ChildProcess("/bin/bash", ["-c", "cd '\(checkout.path)' && exec python3 scripts/portal/run_guides.py --portal portal"],
                                          environment: environment, outputPath: directory.appending("guides.log").path)
            let status = await runner.wait(timeout: .seconds(420))
            let output = runner.output
            daemon.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
            #expect(status == 0, "\(output)")
            #expect(output.contains("13 guide pages in sidebar order: onboarding/overview onboarding/api-contract"),
                    "overview, six gates, six how-tos: \(output)")
            #expect(output.contains("ok       ship-a-release.mdx: 9. Platform control promotes"), "the release how-to ran to its end: \(output)")
            let summary = try #require(output.firstMatch(of: /(\d+) of (\d+) steps passed/), "\(output)")
            #expect(summary.1 == summary.2 && Int(summary.2)! >= 40, "\(output)")
            #expect(output.components(separatedBy: "Gate check").count - 1 == 6, "a gate check per onboarding page: \(output)")
        }
    }

    /// The Python SDK generator's virtual environment as `scripts/sdk/python.sh` names it by
    /// default (its pinned versions, under the caller's home), unless the caller names one.
    static func pythonSDKVenv() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let named = environment["SDK_PYTHON_VENV"] { return named }
        let script = try String(contentsOf: root.appendingPathComponent("scripts/sdk/python.sh"), encoding: .utf8)
        let generator = try #require(script.firstMatch(of: /\nGENERATOR_VERSION=(\S+)/)?.1, "python.sh pins the generator")
        let ruff = try #require(script.firstMatch(of: /\nRUFF_VERSION=(\S+)/)?.1, "python.sh pins ruff")
        return "\(environment["HOME"] ?? "/root")/.cache/platform/sdk-python-\(generator)-ruff-\(ruff)"
    }
}

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
            ]
            // The pages in the order the sidebar lists them (what a reader follows).
            let runner = try ChildProcess("/bin/bash", ["-c", "cd '\(Self.root.path)' && exec python3 scripts/portal/run_guides.py --portal portal"],
                                          environment: environment, outputPath: directory.appending("guides.log").path)
            let status = await runner.wait(timeout: .seconds(420))
            let output = runner.output
            daemon.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
            #expect(status == 0, "\(output)")
            #expect(output.contains("11 guide pages in sidebar order: onboarding/overview onboarding/api-contract"),
                    "overview, six gates, four how-tos: \(output)")
            let summary = try #require(output.firstMatch(of: /(\d+) of (\d+) steps passed/), "\(output)")
            #expect(summary.1 == summary.2 && Int(summary.2)! >= 40, "\(output)")
            #expect(output.components(separatedBy: "Gate check").count - 1 == 6, "a gate check per onboarding page: \(output)")
        }
    }
}

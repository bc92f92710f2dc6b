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
@Suite("Portal guides run against a live platformd", .serialized)
struct GuideProcessTests {
    static let root = InstanceProcessTests.root

    /// The guide pages in the order the sidebar lists them (what a reader follows).
    static func pagesInSidebarOrder() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("portal/sidebars.js"), encoding: .utf8)
        let start = try #require(text.firstIndex(of: "{")), end = try #require(text.lastIndex(of: "}"))
        let tree = try #require(try JSONSerialization.jsonObject(with: Data(text[start...end].utf8)) as? [String: Any])
        var ids: [String] = []
        func walk(_ node: Any) {
            if let id = node as? String, id.hasPrefix("onboarding/") || id.hasPrefix("how-to/") { ids.append(id) }
            if let list = node as? [Any] { list.forEach(walk) }
            if let category = node as? [String: Any], let items = category["items"] { walk(items) }
        }
        tree.values.forEach(walk)
        return ids.map { root.appendingPathComponent("portal/docs/\($0).mdx").path }
    }

    @Test("the onboarding track and the how-tos, command by command, against a live platformd")
    func guidesRun() async throws {
        let pages = try Self.pagesInSidebarOrder()
        #expect(pages.count == 11, "overview, six gates, four how-tos: \(pages)")
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
            let quoted = pages.map { "'\($0)'" }.joined(separator: " ")
            let runner = try ChildProcess("/bin/bash", ["-c", "cd '\(Self.root.path)' && exec python3 scripts/portal/run_guides.py \(quoted)"],
                                          environment: environment, outputPath: directory.appending("guides.log").path)
            let status = await runner.wait(timeout: .seconds(420))
            let output = runner.output
            daemon.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
            #expect(status == 0, "\(output)")
            let summary = try #require(output.firstMatch(of: /(\d+) of (\d+) steps passed/), "\(output)")
            #expect(summary.1 == summary.2 && Int(summary.2)! >= 40, "\(output)")
            #expect(output.components(separatedBy: "Gate check").count - 1 == 6, "a gate check per onboarding page: \(output)")
        }
    }
}

import Foundation
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Docs as tests for the portal's SDK pages: each page's first call is one source file the
/// page includes verbatim (`SDKPages.pythonFirstCall`, `SDKPages.swiftFirstCall` in
/// PortalGenerator: `examples/python/first_call.py`, `examples/swift/FirstCall/main.swift`), and here
/// both run against a live `platformd` with the same key: the Python one through the generated
/// SDK installed the way the page says (`scripts/sdk/python.sh install`), the Swift one as the
/// package's `platform-sdk-first-call` executable. Both must print the caller, and the same line.
@Suite("SDK pages' first calls against a live platformd", .serialized, .tags(.integration))
struct SDKSnippetProcessTests {
    static let root = InstanceProcessTests.root

    @Test func sdkPagesFirstCallsRunAgainstALivePlatformd() async throws {
        try await withTemporaryDirectory { directory async throws in
            let daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0)
            defer { daemon.process.signal(SIGKILL) }
            let keyFile = directory.appending("data/bootstrap-admin.key").path
            let environment = ["PLATFORM_SERVER": daemon.base, "PLATFORM_KEY_FILE": keyFile]

            let install = try ChildProcess("/bin/bash", [Self.root.appendingPathComponent("scripts/sdk/python.sh").path, "install"],
                                           outputPath: directory.appending("install.log").path)
            try #require(await install.wait(timeout: .seconds(240)) == 0, "\(install.output)")
            let python = try #require(install.output.split(separator: "\n").last.map(String.init))

            let pythonRun = try ChildProcess("/bin/bash", ["-c", "cd '\(Self.root.path)' && exec '\(python)' examples/python/first_call.py"],
                                             environment: environment, outputPath: directory.appending("python.log").path)
            #expect(await pythonRun.wait(timeout: .seconds(60)) == 0, "\(pythonRun.output)")
            let swiftRun = try ChildProcess(builtProductsDirectory().appendingPathComponent("platform-sdk-first-call").path, [],
                                            environment: environment, outputPath: directory.appending("swift.log").path)
            #expect(await swiftRun.wait(timeout: .seconds(60)) == 0, "\(swiftRun.output)")

            let pythonLine = pythonRun.output.trimmingCharacters(in: .whitespacesAndNewlines)
            let swiftLine = swiftRun.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(pythonLine.wholeMatch(of: /bootstrap-admin \(\w+\) with [1-9]\d* scopes/) != nil, "\(pythonLine)")
            #expect(swiftLine == pythonLine, "both SDKs answer whoami alike: swift \(swiftLine), python \(pythonLine)")
        }
    }
}

import Foundation
import PlatformContracts
import RuntimeKit
import Testing

/// What the supervisor's lifecycle needs from every adapter: `args` reach the process after
/// its command, and a restart (release, then start of the same spec) runs again in the same
/// instance with its log appended, not replaced.
extension AdapterConformanceTests {
    @Test("args reach the process after its command, words intact", arguments: AdapterKind.allCases)
    func argsFollowTheCommand(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        var spec = fixture.spec("CONF-ARGS", .printArgs)
        spec.args = ["one", "two words"]
        let (handle, ended) = try await startAndWait(fixture.adapter, spec)
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        #expect(text.contains("args=one|two words"), "\(kind): \(text)")
        try await fixture.adapter.destroy(handle)
    }

    @Test("a restart (release, then start of the same spec) runs again with the log appended", arguments: AdapterKind.allCases)
    func restartAppendsTheLog(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let spec = fixture.spec("CONF-RESTART", .greetAndExit(code: 3))
        let (first, firstEnd) = try await startAndWait(fixture.adapter, spec)
        #expect(firstEnd.state == .exited(code: 3), "\(firstEnd)")
        try await fixture.adapter.release(first)
        let (second, secondEnd) = try await startAndWait(fixture.adapter, spec)
        #expect(secondEnd.state == .exited(code: 3), "the second run's own end: \(secondEnd)")
        let text = try await allLogs(fixture.adapter, second)
        #expect(text.components(separatedBy: "hello-CONF-RESTART").count - 1 == 2, "\(kind): both runs' output: \(text)")
        try await fixture.adapter.destroy(second)
    }
}

import Foundation
import PlatformContracts
import RuntimeKit
import Testing

/// A manifest's `env` reaches the process on every adapter that runs an image: the platform
/// substitutes the values and puts them in the spec's environment; each adapter must hand them
/// to the process as they are (spaces and `=` intact), which is what this test asserts inside
/// the instance. The matrix's `env` cells rest on it.
extension AdapterConformanceTests {
    @Test("env: the spec's environment reaches the process, values intact", arguments: AdapterKind.imageRunners)
    func envReachesTheProcess(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        var spec = fixture.spec("CONF-ENV", .greetAndExit(code: 0))
        spec.command = ["/bin/sh", "-c", #"echo "env=$APP_GREETING|$APP_MODE""#]
        spec.environment["APP_GREETING"] = "two words=and more"
        spec.environment["APP_MODE"] = "lab"
        let (handle, ended) = try await startAndWait(fixture.adapter, spec)
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        #expect(text.contains("env=two words=and more|lab"), "\(kind): \(text)")
        try await fixture.adapter.destroy(handle)
    }
}

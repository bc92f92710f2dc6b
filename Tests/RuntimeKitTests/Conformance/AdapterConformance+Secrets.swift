import Foundation
import PlatformContracts
import RuntimeKit
import Testing

extension AdapterConformanceTests {
    @Test("secrets arrive as read-only 0400 files on a tmpfs at /run/secrets, and as variables only where asked",
          arguments: AdapterKind.allCases)
    func secretsReachTheProcess(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let fileValue = "file-\(UUID().uuidString)"
        let envValue = "env-\(UUID().uuidString)"
        var spec = fixture.spec("CONF-SECRETS", .showSecrets)
        spec.secrets = [SecretDelivery(name: "SECRET_FILE", ref: "secret://p1/file"),
                        SecretDelivery(name: "SECRET_ENV", ref: "secret://p1/env", env: true)]
        spec.secretValues = ["SECRET_FILE": Array(fileValue.utf8), "SECRET_ENV": Array(envValue.utf8)]
        let (handle, ended) = try await startAndWait(fixture.adapter, spec)
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        #expect(text.contains("file=\(fileValue) mode=-r--------\n"), "\(text)")
        #expect(text.contains("fs=tmpfs\n"), "\(text)")
        #expect(text.contains("env=\(envValue) fileonly=\n"), "a file-only secret is no variable: \(text)")
        #expect(text.contains("read-only\n"), "\(text)")
        // Nothing the adapter keeps on disk for the instance holds a value once it is released.
        try await fixture.adapter.release(handle)
        if let folder = handle.fields["folder"] {
            for file in FileManager.default.enumerator(atPath: folder)?.compactMap({ $0 as? String }) ?? [] {
                guard file != "output.log", let data = FileManager.default.contents(atPath: folder + "/" + file) else { continue }
                let content = String(decoding: data, as: UTF8.self)
                #expect(!content.contains(fileValue), "\(file) holds the file-only secret")
            }
        }
        try await fixture.adapter.destroy(handle)
    }

    @Test("a spec whose secrets were not resolved never starts", arguments: AdapterKind.allCases)
    func unresolvedSecretsRefuseToStart(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        var spec = fixture.spec("CONF-NOSECRET", .greetAndExit(code: 0))
        spec.secrets = [SecretDelivery(name: "MISSING", ref: "secret://p1/missing")]
        await expectCode(.secretUnavailable) { _ = try await fixture.adapter.start(spec, plan: try await fixture.adapter.plan(spec)) }
    }
}

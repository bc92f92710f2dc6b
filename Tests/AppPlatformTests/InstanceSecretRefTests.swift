@testable import AppPlatform
import PlatformContracts
import RuntimeKit
import Testing

/// `secret://<project>/<name>` and the project-relative `secret:///<name>` a catalog app uses:
/// both resolve in the launching project only.
@Suite("Secret references in a launch")
struct InstanceSecretRefTests {
    /// Custody holding one secret, `jupyter-token`, in project P1 (named `lab`).
    struct OneSecret: SecretCustody {
        func set(project: String, name: String, purpose: String?, value: [UInt8], actor: String, requestID: String?) async throws -> SecretRecord {
            throw PlatformError(.secretUnavailable, "read-only")
        }
        func rotate(project: String, name: String, value: [UInt8], actor: String, requestID: String?) async throws -> SecretRecord {
            throw PlatformError(.secretUnavailable, "read-only")
        }
        func list(project: String) async throws -> [SecretRecord] {
            project == "P1" ? [SecretRecord(name: "jupyter-token", project: "P1", purpose: "app-credential", version: 1, masterKeyId: "k1",
                                            createdAt: "2026-12-07T00:00:00Z", updatedAt: "2026-12-07T00:00:00Z", createdBy: "u", updatedBy: "u")] : []
        }
        func delete(project: String, name: String, actor: String, requestID: String?) async throws {}
        func rotateMasterKey(actor: String, requestID: String?) async throws -> MasterKeyRotation {
            throw PlatformError(.secretUnavailable, "read-only")
        }
        func reveal(project: String, name: String, instance: String, correlationId: String?) async throws -> [UInt8] { Array("v".utf8) }
    }

    let lab = Project(id: "P1", tenantId: "T1", name: "lab", createdAt: "2026-12-07T00:00:00Z")
    let other = Project(id: "P2", tenantId: "T2", name: "other", createdAt: "2026-12-07T00:00:00Z")

    @Test("secret:///name is the launching project's secret; a named project must be the launching one")
    func projectRelativeReference() async throws {
        #expect(InstanceSecrets.parse("secret:///jupyter-token")! == ("", "jupyter-token"))
        #expect(InstanceSecrets.parse("secret://lab/jupyter-token")! == ("lab", "jupyter-token"))
        #expect(InstanceSecrets.parse("secret:///") == nil)
        #expect(InstanceSecrets.parse("secret://lab") == nil)
        let relative = [SecretDelivery(name: "JUPYTER_TOKEN", ref: "secret:///jupyter-token", env: true)]
        try await InstanceSecrets.check(relative, project: lab, custody: OneSecret())
        try await InstanceSecrets.check([SecretDelivery(name: "T", ref: "secret://lab/jupyter-token")], project: lab, custody: OneSecret())
        // The same manifest launched by another project finds only that project's secrets.
        let missing = await #expect(throws: PlatformError.self) { try await InstanceSecrets.check(relative, project: other, custody: OneSecret()) }
        #expect(missing?.code == .secretNotFound)
        #expect(missing?.message.contains("appctl secret set jupyter-token") == true)
        let foreign = await #expect(throws: PlatformError.self) {
            try await InstanceSecrets.check([SecretDelivery(name: "T", ref: "secret://lab/jupyter-token")], project: other, custody: OneSecret())
        }
        #expect(foreign?.code == .secretNotFound)
    }
}

import Foundation
import PlatformContracts
import PlatformStore
import SQLKit
import Synchronization
import Testing
@testable import SecretsService

/// The secret store on SQLite and PostgreSQL: envelope encryption (a data key per version,
/// wrapped by the master key), the secret's identity bound as associated data, master-key
/// rotation with reads going on, failing closed, and no plaintext in rows or audit records.
@Suite("Secret store")
struct SecretStoreTests {
    static let project = "01JPROJSECRETS0000000000AA"
    static let plaintext = Array("s3cr3t-plaintext-\(UUID().uuidString)".utf8)

    @Test("set, rotate, list and reveal: versions, one data key each, no plaintext in rows or audit details", arguments: ServerBackend.enabled)
    func sealsVersionsAndReveals(backend: ServerBackend) async throws {
        try await SecretStoreFixture.with(backend) { fixture in
            let secrets = try fixture.secrets()
            let first = try await secrets.set(project: Self.project, name: "db-password", purpose: "database-credential",
                                              value: Self.plaintext, actor: "01JALICE", requestID: "req-1")
            #expect(first.version == 1 && first.purpose == "database-credential" && first.masterKeyId == secrets.keyring.primary.id)
            #expect(try await secrets.reveal(project: Self.project, name: "db-password", instance: "01JINST", correlationId: "launch-1") == Self.plaintext)
            let second = Array("second-\(UUID().uuidString)".utf8)
            let rotated = try await secrets.rotate(project: Self.project, name: "db-password", value: second, actor: "01JBOB", requestID: nil)
            #expect(rotated.version == 2 && rotated.updatedBy == "01JBOB" && rotated.createdBy == "01JALICE")
            #expect(try await secrets.reveal(project: Self.project, name: "db-password", instance: "01JINST", correlationId: nil) == second)
            // set on an existing secret adds a version too (keeping its purpose).
            let third = try await secrets.set(project: Self.project, name: "db-password", purpose: nil, value: Self.plaintext,
                                              actor: "01JALICE", requestID: nil)
            #expect(third.version == 3)
            #expect(try await secrets.list(project: Self.project).map(\.version) == [3])
            #expect(try await secrets.list(project: "01JOTHERPROJECT").isEmpty)

            let plain = String(decoding: Self.plaintext, as: UTF8.self)
            let base64 = Data(Self.plaintext).base64EncodedString()
            let tables = try await fixture.secretTableText()
            #expect(!tables.contains(plain) && !tables.contains(base64))
            let audit = try await fixture.auditRows()
            #expect(audit.map(\.action) == ["secrets.secret.set", "secrets.secret.read", "secrets.secret.rotate", "secrets.secret.read",
                                            "secrets.secret.set"])
            #expect(audit.allSatisfy { !$0.details.contains(plain) && !$0.details.contains(base64) })
            #expect(audit[1].details.contains("01JINST") && audit[1].target == "secret/\(Self.project)/db-password")

            try await secrets.delete(project: Self.project, name: "db-password", actor: "01JALICE", requestID: nil)
            let gone = await #expect(throws: PlatformError.self) {
                _ = try await secrets.reveal(project: Self.project, name: "db-password", instance: "01JINST", correlationId: nil)
            }
            #expect(gone?.code == .secretNotFound)
            #expect(try await fixture.secretTableText().isEmpty)
        }
    }

    @Test("a version's row copied onto another secret does not decrypt (associated data binds project, name and version)",
          arguments: ServerBackend.enabled)
    func ciphertextIsBoundToItsSecret(backend: ServerBackend) async throws {
        try await SecretStoreFixture.with(backend) { fixture in
            let secrets = try fixture.secrets()
            _ = try await secrets.set(project: Self.project, name: "alpha", purpose: "app-runtime", value: Self.plaintext, actor: "a", requestID: nil)
            _ = try await secrets.set(project: Self.project, name: "beta", purpose: "app-runtime", value: Array("other".utf8), actor: "a",
                                      requestID: nil)
            // Copy alpha's sealed value and wrapped data key onto beta (what a database-level attacker could do).
            try await fixture.store.transaction { db in
                guard let alpha = try await db.select().columns("ciphertext", "wrapped_key").from("secrets_versions")
                    .where("name", .equal, "alpha").first() else { throw PlatformError(.internalError, "no alpha row") }
                try await db.update("secrets_versions")
                    .set("ciphertext", to: try alpha.decode(column: "ciphertext", as: String.self))
                    .set("wrapped_key", to: try alpha.decode(column: "wrapped_key", as: String.self))
                    .where("name", .equal, "beta").run()
            }
            let error = await #expect(throws: PlatformError.self) {
                _ = try await secrets.reveal(project: Self.project, name: "beta", instance: "01JINST", correlationId: "c")
            }
            #expect(error?.code == .secretUnavailable)
            #expect(try await secrets.reveal(project: Self.project, name: "alpha", instance: "01JINST", correlationId: "c") == Self.plaintext)
            // The refusal is audited as a failure, without the value.
            let failures = try await fixture.auditRows().filter { $0.action == "secrets.secret.read" && $0.outcome == "failure" }
            #expect(failures.count == 1 && failures[0].target.hasSuffix("/beta"))
        }
    }

    @Test("a wrong or missing master key fails closed with secret.unavailable", arguments: ServerBackend.enabled)
    func failsClosedWithoutItsMasterKey(backend: ServerBackend) async throws {
        try await SecretStoreFixture.with(backend) { fixture in
            _ = try await fixture.secrets().set(project: Self.project, name: "token", purpose: "api-token", value: Self.plaintext, actor: "a",
                                                requestID: nil)
            for keys in [[MasterKey.generate()], [MasterKey.generate(), MasterKey.generate()]] {
                let error = await #expect(throws: PlatformError.self) {
                    _ = try await fixture.secrets(keys: keys).reveal(project: Self.project, name: "token", instance: "i", correlationId: nil)
                }
                #expect(error?.code == .secretUnavailable)
                #expect(error.map { !$0.message.contains(String(decoding: Self.plaintext, as: UTF8.self)) } ?? false)
            }
            // A key with the right id but other bytes cannot exist (ids derive from the key), so a
            // tampered wrap is the other way to meet a wrong key: it does not authenticate.
            try await fixture.store.transaction { db in
                let bogus = Data([UInt8](repeating: 7, count: 60)).base64EncodedString()
                try await db.update("secrets_versions").set("wrapped_key", to: bogus).where("name", .equal, "token").run()
            }
            let tampered = await #expect(throws: PlatformError.self) {
                _ = try await fixture.secrets().reveal(project: Self.project, name: "token", instance: "i", correlationId: nil)
            }
            #expect(tampered?.code == .secretUnavailable)
        }
    }

    @Test("master-key rotation re-wraps every data key in batches while reveals keep working; then the old key can go",
          arguments: ServerBackend.enabled)
    func masterKeyRotatesWithoutDowntime(backend: ServerBackend) async throws {
        let old = MasterKey.generate()
        let new = MasterKey.generate()
        try await SecretStoreFixture.with(backend, keys: [old]) { fixture in
            var secrets = try fixture.secrets()
            let names = (0..<7).map { "secret-\($0)" }
            for name in names {
                _ = try await secrets.set(project: Self.project, name: name, purpose: "app-runtime", value: Array("value-of-\(name)".utf8),
                                          actor: "a", requestID: nil)
            }
            #expect(try await fixture.wrappingKeys() == Array(repeating: old.id, count: 7))
            // The operator puts a new primary first in the key file; the running store picks it up at rotation.
            try fixture.writeKeys([new, old])
            secrets.rotationBatchSize = 3
            let revealedDuringRotation = Mutex<[Int: Int]>([:])
            let reader = secrets
            secrets.onRotationBatch = { done in
                // Reads in the middle of the rotation: some rows under the old key, some under the new.
                var ok = 0
                for name in names {
                    if (try? await reader.reveal(project: Self.project, name: name, instance: "i", correlationId: nil))
                        == Array("value-of-\(name)".utf8) { ok += 1 }
                }
                revealedDuringRotation.withLock { $0[done] = ok }
            }
            let report = try await secrets.rotateMasterKey(actor: "01JOPERATOR", requestID: "rot-1")
            #expect(report == MasterKeyRotation(primaryKeyId: new.id, rewrapped: 7, alreadyCurrent: 0))
            #expect(revealedDuringRotation.withLock { $0 } == [3: 7, 6: 7, 7: 7])
            #expect(try await fixture.wrappingKeys() == Array(repeating: new.id, count: 7))
            // A second rotation finds nothing to do.
            #expect(try await secrets.rotateMasterKey(actor: "01JOPERATOR", requestID: nil).alreadyCurrent == 7)
            // The old key can now leave the keyring; without the new one nothing opens.
            for name in names {
                #expect(try await fixture.secrets(keys: [new]).reveal(project: Self.project, name: name, instance: "i", correlationId: nil)
                    == Array("value-of-\(name)".utf8))
            }
            await #expect(throws: PlatformError.self) {
                _ = try await fixture.secrets(keys: [old]).reveal(project: Self.project, name: names[0], instance: "i", correlationId: nil)
            }
            let rotations = try await fixture.auditRows().filter { $0.action == "secrets.masterkey.rotate" }
            #expect(rotations.count == 2 && rotations[0].details.contains(new.id))
            // New secrets are wrapped by the new primary.
            #expect(try await secrets.set(project: Self.project, name: "later", purpose: "app-runtime", value: [1], actor: "a",
                                          requestID: nil).masterKeyId == new.id)
        }
    }

    @Test("refusals: unregistered purpose, bad names, empty and oversized values, a changed purpose, a platform-only purpose at delivery")
    func refusesInvalidRequests() async throws {
        try await SecretStoreFixture.with(.sqlite) { fixture in
            let secrets = try fixture.secrets()
            func code(_ body: () async throws -> Void) async -> ErrorCode? {
                do { try await body(); return nil } catch { return (error as? PlatformError)?.code }
            }
            #expect(await code { _ = try await secrets.set(project: Self.project, name: "x", purpose: "wishes", value: [1], actor: "a", requestID: nil) }
                == .secretInvalid)
            #expect(await code { _ = try await secrets.set(project: Self.project, name: "x", purpose: nil, value: [1], actor: "a", requestID: nil) }
                == .secretInvalid)
            for name in ["", "Upper", "-dash", "has space", "a/b", String(repeating: "a", count: 64)] {
                #expect(await code { _ = try await secrets.set(project: Self.project, name: name, purpose: "app-runtime", value: [1], actor: "a",
                                                               requestID: nil) } == .secretInvalid, "\(name)")
            }
            #expect(await code { _ = try await secrets.set(project: Self.project, name: "x", purpose: "app-runtime", value: [], actor: "a",
                                                           requestID: nil) } == .secretInvalid)
            #expect(await code {
                _ = try await secrets.set(project: Self.project, name: "x", purpose: "app-runtime",
                                          value: [UInt8](repeating: 1, count: SecretStore.maximumValueBytes + 1), actor: "a", requestID: nil)
            } == .secretInvalid)
            _ = try await secrets.set(project: Self.project, name: "x", purpose: "app-runtime", value: [1], actor: "a", requestID: nil)
            #expect(await code { _ = try await secrets.set(project: Self.project, name: "x", purpose: "tls-key", value: [2], actor: "a",
                                                           requestID: nil) } == .secretInvalid)
            #expect(await code { _ = try await secrets.rotate(project: Self.project, name: "nope", value: [2], actor: "a", requestID: nil) }
                == .secretNotFound)
            #expect(await code { try await secrets.delete(project: Self.project, name: "nope", actor: "a", requestID: nil) } == .secretNotFound)
            _ = try await secrets.set(project: Self.project, name: "pull", purpose: "registry-credential", value: [1], actor: "a", requestID: nil)
            #expect(await code { _ = try await secrets.reveal(project: Self.project, name: "pull", instance: "i", correlationId: nil) }
                == .secretInvalid)
        }
    }
}

/// The keyring's sources and the purpose registry's checks.
@Suite("Secrets master keyring and purposes")
struct MasterKeyringTests {
    @Test("first start generates a 0600 key file; the environment overrides; a file others can read, a bad key or a missing named file stop the start")
    func loadsFromFileOrEnvironment() async throws {
        try await withTemporaryDirectoryFixture { directory in
            let file = directory.appendingPathComponent("secrets-master.key")
            let generated = try MasterKeyring.load(file: nil, defaultFile: file, environment: [:])
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(try MasterKeyring.load(file: nil, defaultFile: file, environment: [:]).primary.id == generated.primary.id)
            #expect(generated.source == .file(file.path))

            let a = MasterKey.generate(), b = MasterKey.generate()
            let fromEnvironment = try MasterKeyring.load(file: nil, defaultFile: file,
                                                         environment: ["PLATFORMD_SECRETS_MASTER_KEY": "\(a.base64),\(b.base64)"])
            #expect(fromEnvironment.keys.map(\.id) == [a.id, b.id] && fromEnvironment.source == .environment)

            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
            #expect(throws: PlatformError.self) { _ = try MasterKeyring.load(file: file.path, defaultFile: file, environment: [:]) }
            #expect(throws: PlatformError.self) {
                _ = try MasterKeyring.load(file: directory.appendingPathComponent("absent").path, defaultFile: file, environment: [:])
            }
            #expect(throws: PlatformError.self) { _ = try MasterKeyring.parse("bm90IDMyIGJ5dGVz", source: .fixed, origin: "test") }
            #expect(throws: PlatformError.self) { _ = try MasterKeyring.parse("# only a comment\n", source: .fixed, origin: "test") }
        }
    }

    @Test("the shipped purpose registry loads; a wrong kind, a duplicate or a bad id is refused")
    func purposeRegistryIsChecked() throws {
        let shipped = try SecretPurposeRegistry.load(directory: SecretStoreFixture.registryDirectory)
        #expect(shipped.purpose("app-runtime")?.runtimeDelivery == true)
        #expect(shipped.purpose("registry-credential")?.runtimeDelivery == false)
        let entry = "  - purpose_id: app-runtime\n    runtime_delivery: true\n    description: x\n"
        for text in ["registry: scope\nversion: 1\npurposes:\n" + entry,
                     "registry: secret-purpose\nversion: 1\npurposes:\n" + entry + entry,
                     "registry: secret-purpose\nversion: 1\npurposes:\n  - purpose_id: Bad_Id\n    runtime_delivery: true\n    description: x\n",
                     "registry: secret-purpose\nversion: 1\npurposes: []\n"] {
            #expect(throws: PlatformError.self) { _ = try SecretPurposeRegistry.parse(text, path: "test.yaml") }
        }
    }

    func withTemporaryDirectoryFixture(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keyring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory)
    }
}

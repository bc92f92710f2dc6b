import AuditService
import Foundation
import Logging
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RegistryService
import SQLKit
@testable import SecretsService

/// A secret store over a fresh database (SQLite or PostgreSQL) with the real audit log, the
/// shipped purpose registry and a keyring in a 0600 file under a temporary directory.
struct SecretStoreFixture {
    static let logger = Logger(label: "secrets-test") { _ in SwiftLogNoOpLogHandler() }
    static let registryDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("manifests/platform")

    let store: SQLStore
    let audit: AuditLog
    let purposes: SecretPurposeRegistry
    let keyFile: URL

    /// Runs `body` with a migrated database and a key file holding `keys` (primary first).
    static func with(_ backend: ServerBackend, keys: [MasterKey] = [MasterKey.generate()],
                     _ body: (SecretStoreFixture) async throws -> Void) async throws {
        let url = try await backend.databaseURL()
        try await withTemporaryDirectory { directory async throws in
            let location = try url.map { try DatabaseLocation(url: $0) } ?? .sqlite(path: directory.appending("platform.db").path)
            let store = try await SQLStore.open(location, logger: logger)
            do {
                _ = try await Migrator(store: store, sets: [AuditSchema.migrations, SecretsSchema.migrations], logger: logger).migrate()
                let actions = try RegistryFiles(directory: registryDirectory).auditActions()
                let signer = try AuditSigningKey.loadOrCreate(at: directory.appending("audit.key"), name: "test")
                let audit = AuditLog(store: store, actions: actions, signer: signer, origin: "test/audit")
                let fixture = SecretStoreFixture(store: store, audit: audit, purposes: try SecretPurposeRegistry.load(directory: registryDirectory),
                                                 keyFile: directory.appending("secrets-master.key"))
                try fixture.writeKeys(keys)
                try await body(fixture)
                await store.shutdown()
            } catch {
                await store.shutdown()
                throw error
            }
        }
    }

    /// Replaces the key file's keys (primary first), mode 0600.
    func writeKeys(_ keys: [MasterKey]) throws {
        let text = "# test keyring\n" + keys.map(\.base64).joined(separator: "\n") + "\n"
        try? FileManager.default.removeItem(at: keyFile)
        guard FileManager.default.createFile(atPath: keyFile.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw PlatformError(.internalError, "cannot write \(keyFile.path)")
        }
    }

    /// A store over the key file as it is now.
    func secrets() throws -> SecretStore {
        SecretStore(store: store, audit: audit, purposes: purposes, keyring: try MasterKeyring.read(path: keyFile.path), logger: Self.logger)
    }

    /// A store with a given keyring (fixed).
    func secrets(keys: [MasterKey]) throws -> SecretStore {
        SecretStore(store: store, audit: audit, purposes: purposes, keyring: try MasterKeyring(keys: keys), logger: Self.logger)
    }

    /// Every audit record: action, outcome, target and details as stored.
    func auditRows() async throws -> [(action: String, outcome: String, target: String, details: String)] {
        try await store.read { db in
            try await db.select().columns("action", "outcome", "target", "details").from("audit_log").orderBy("seq").all().map {
                (try $0.decode(column: "action", as: String.self), try $0.decode(column: "outcome", as: String.self),
                 try $0.decode(column: "target", as: String.self), try $0.decode(column: "details", as: String.self))
            }
        }
    }

    /// Every text cell of both secret tables, joined.
    func secretTableText() async throws -> String {
        try await store.read { db in
            var cells: [String] = []
            for table in ["secrets_secrets", "secrets_versions"] {
                for row in try await db.select().column("*").from(table).all() {
                    for column in row.allColumns { if let text = try? row.decode(column: column, as: String.self) { cells.append(text) } }
                }
            }
            return cells.joined(separator: "\n")
        }
    }

    /// The stored master key id of every version.
    func wrappingKeys() async throws -> [String] {
        try await store.read { db in
            try await db.select().column("master_key_id").from("secrets_versions").orderBy("name").orderBy("version").all()
                .map { try $0.decode(column: "master_key_id", as: String.self) }
        }
    }
}

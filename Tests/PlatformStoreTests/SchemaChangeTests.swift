import Foundation
import Logging
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// A migration that adds a column must be seen by every pooled connection, including those
/// opened before it ran. SQLite expands `SELECT *` when it prepares a statement, from that
/// connection's cached schema; SQLiteNIO reads the column names before the first step, so a
/// connection that had not looked at the schema since another connection's `ALTER TABLE`
/// returned rows without the new column (`MissingColumn`). platformd then could not load its
/// instances to re-attach them after an upgrade (instances v2 adds `stop_cause`).
@Suite("Schema changes and pooled connections")
struct SchemaChangeTests {
    @Test("after a migration adds a column, SELECT * on every pooled SQLite connection returns it")
    func addedColumnIsSeenByEveryPooledConnection() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await SQLStore.open(.sqlite(path: directory.appending("p.db").path), logger: testLogger)
            do {
                try await Self.addColumn(store)
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
        }
    }

    static func addColumn(_ store: SQLStore) async throws {
        let first = MigrationSet(module: "t", migrations: [
            Migration(version: 1, name: "create", statements: ["CREATE TABLE t (a INTEGER NOT NULL)", "INSERT INTO t (a) VALUES (1)"]),
        ])
        try await Migrator(store: store, sets: [first], logger: testLogger).migrate()
        // Several connections cache the schema before the change.
        try await onConnections(4, of: store) { db in _ = try await db.raw("SELECT * FROM t").all() }
        let second = MigrationSet(module: "t", migrations: first.migrations + [
            Migration(version: 2, name: "add b", statements: ["ALTER TABLE t ADD COLUMN b TEXT"]),
        ])
        try await Migrator(store: store, sets: [second], logger: testLogger).migrate()
        for _ in 0..<3 {
            try await onConnections(4, of: store) { db in
                let row = try #require(try await db.raw("SELECT * FROM t").first())
                #expect(try row.decode(column: "b", as: String?.self) == nil)
                #expect(try row.decode(column: "a", as: Int.self) == 1)
            }
        }
    }

    /// Runs `body` on `count` connections held at once (nested reads each take another).
    static func onConnections(_ count: Int, of store: SQLStore, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        guard count > 0 else { return }
        try await store.read { db in
            try await body(db)
            try await onConnections(count - 1, of: store, body)
        }
    }
}

import Foundation
import Logging
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// The backends every store conformance test runs against.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL unless `PLATFORM_TEST_POSTGRES=skip`.
    static var enabled: [Backend] {
        PostgresServer.isEnabled ? [.sqlite, .postgres] : [.sqlite]
    }

    /// A fresh, empty database of this backend.
    func makeLocation(in directory: TemporaryDirectory) async throws -> DatabaseLocation {
        switch self {
        case .sqlite: .sqlite(path: directory.appending("platform.db").path)
        case .postgres: try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())
        }
    }
}

/// The conformance suite's own module: a table with every kind of column the platform uses.
enum ConformanceSchema {
    static let migrations = MigrationSet(module: "conformance", migrations: [
        Migration(version: 1, name: "create conformance tables", statements: [
            """
            CREATE TABLE conformance_items (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                quantity BIGINT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE TABLE conformance_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
        ]),
    ])

    static let all = [CoreSchema.migrations, migrations]
}

/// Opens a fresh store of `backend`, migrated with the core and conformance schemas.
func withMigratedStore<T>(
    _ backend: Backend, _ body: (SQLStore, DatabaseLocation, TemporaryDirectory) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory async throws in
        let location = try await backend.makeLocation(in: directory)
        let store = try await SQLStore.open(location, logger: testLogger)
        do {
            try await Migrator(store: store, sets: ConformanceSchema.all, logger: testLogger).migrate()
            let result = try await body(store, location, directory)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

/// Inserts one row into `conformance_items`.
func insertItem(_ db: any SQLDatabase, id: String = ULID().description, name: String, quantity: Int64) async throws {
    try await db.insert(into: "conformance_items")
        .columns("id", "name", "quantity", "created_at")
        .values(SQLBind(id), SQLBind(name), SQLBind(quantity), SQLBind(Timestamp.now().rfc3339))
        .run()
}

/// Counts rows of `conformance_items` with that name.
func countItems(_ store: SQLStore, name: String) async throws -> Int {
    try await store.read { db in
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("conformance_items").where("name", .equal, name)
            .first()!.decode(column: "n", as: Int.self)
    }
}

/// Drops driver logs (expected connection failures would otherwise fill the test output).
let testLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

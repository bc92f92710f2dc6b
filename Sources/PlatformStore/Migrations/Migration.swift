import PlatformContracts
import SQLKit

/// One versioned schema change of one module. Prefer portable SQL (`TEXT`, `BIGINT`,
/// `PRIMARY KEY`, `UNIQUE`) or SQLKit's schema builders so one migration serves both
/// databases.
///
/// ```swift
/// Migration(version: 1, name: "create settings", statements: [
///     "CREATE TABLE platform_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)",
/// ])
/// ```
public struct Migration: Sendable {
    /// Position in its module's sequence, starting at 1, without gaps.
    public let version: Int
    /// What it does, for the migrations table and logs.
    public let name: String
    /// Applies the change inside the migrator's transaction.
    public let apply: @Sendable (any SQLDatabase) async throws -> Void

    /// A migration written as code.
    public init(version: Int, name: String, apply: @escaping @Sendable (any SQLDatabase) async throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }

    /// A migration written as portable SQL statements, run in order.
    public init(version: Int, name: String, statements: [String]) {
        self.init(version: version, name: name) { db in
            for statement in statements {
                try await db.raw(SQLQueryString(statement)).run()
            }
        }
    }
}

/// A module's ordered migrations. Modules version their schema independently, so a new
/// module never renumbers another's history.
public struct MigrationSet: Sendable {
    /// The owning module (`core`, `iam`, `audit`, …).
    public let module: String
    /// Migrations in version order, 1…n.
    public let migrations: [Migration]

    /// Declares a module's migrations.
    /// - Precondition: versions are 1…n in order.
    public init(module: String, migrations: [Migration]) {
        precondition(
            migrations.enumerated().allSatisfy { $0.offset + 1 == $0.element.version },
            "migrations of \(module) must be numbered 1…n in order"
        )
        self.module = module
        self.migrations = migrations
    }

    /// The newest version this build knows for the module.
    public var latestVersion: Int { migrations.last?.version ?? 0 }
}

import Logging
import PlatformContracts
import SQLKit

/// Brings a database to the schema this build knows, one transaction per migration, and
/// refuses a database whose schema is newer (a newer `platformd` touched it): running
/// old code on a new schema is how data gets corrupted.
///
/// ```swift
/// let applied = try await Migrator(store: store, sets: [CoreSchema.migrations]).migrate()
/// ```
public struct Migrator: Sendable {
    /// The table that records applied migrations.
    public static let table = "platform_schema_migrations"

    private let store: SQLStore
    private let sets: [MigrationSet]
    private let logger: Logger

    /// Creates a migrator.
    /// - Parameters:
    ///   - store: The database.
    ///   - sets: Every module's migrations that this build knows.
    ///   - logger: Receives one line per applied migration.
    public init(store: SQLStore, sets: [MigrationSet], logger: Logger = Logger(label: "platform.store.migrator")) {
        self.store = store
        self.sets = sets
        self.logger = logger
    }

    /// The applied version per module, read from the database (empty when fresh).
    public func appliedVersions() async throws -> [String: Int] {
        try await ensureTable()
        let rows = try await store.read { db in
            try await db.raw("SELECT module, MAX(version) AS version FROM \(ident: Self.table) GROUP BY module").all()
        }
        var versions: [String: Int] = [:]
        for row in rows {
            versions[try row.decode(column: "module", as: String.self)] = try row.decode(column: "version", as: Int.self)
        }
        return versions
    }

    /// Fails with ``ErrorCode/storeSchemaTooNew`` when the database holds a module this
    /// build does not know or a version above the newest it knows.
    public func checkCompatible() async throws {
        let applied = try await appliedVersions()
        let known = Dictionary(uniqueKeysWithValues: sets.map { ($0.module, $0.latestVersion) })
        for (module, version) in applied.sorted(by: { $0.key < $1.key }) {
            guard let latest = known[module] else {
                throw PlatformError(
                    .storeSchemaTooNew,
                    "the database at \(store.location.redacted) has schema module \"\(module)\" (version \(version)), which this platformd \(PlatformVersion.version) does not know; it was written by a newer platformd. Upgrade platformd or point it at another database.",
                    details: ["module": module, "databaseVersion": "\(version)"]
                )
            }
            if version > latest {
                throw PlatformError(
                    .storeSchemaTooNew,
                    "the database at \(store.location.redacted) has schema \(module) v\(version), newer than the v\(latest) this platformd \(PlatformVersion.version) knows. Upgrade platformd or point it at another database.",
                    details: ["module": module, "databaseVersion": "\(version)", "knownVersion": "\(latest)"]
                )
            }
        }
    }

    /// Applies every pending migration and returns how many it applied.
    @discardableResult
    public func migrate() async throws -> Int {
        try await checkCompatible()
        var count = 0
        for set in sets {
            for migration in set.migrations {
                if try await apply(migration, of: set.module) {
                    count += 1
                    store.schemaChanged()
                }
            }
        }
        return count
    }

    /// Applies one migration unless already applied; replicas racing here serialise on the
    /// transaction (PostgreSQL advisory lock, SQLite's single writer).
    private func apply(_ migration: Migration, of module: String) async throws -> Bool {
        do {
            return try await store.transaction { db in
                if store.backend == .postgres {
                    try await db.raw("SELECT pg_advisory_xact_lock(7301428361)").run()
                }
                let existing = try await db.select().column("version").from(Self.table)
                    .where("module", .equal, module).where("version", .equal, migration.version)
                    .first()
                guard existing == nil else { return false }
                try await migration.apply(db)
                try await db.insert(into: Self.table)
                    .columns("module", "version", "name", "applied_at")
                    .values(SQLBind(module), SQLBind(migration.version), SQLBind(migration.name),
                            SQLBind(Timestamp.now().rfc3339))
                    .run()
                logger.info("applied migration", metadata: [
                    "module": "\(module)", "version": "\(migration.version)", "name": "\(migration.name)",
                ])
                return true
            }
        } catch let error as PlatformError where error.code == .storeUnavailable {
            throw error
        } catch {
            throw PlatformError(
                .storeMigrationFailed,
                "migration \(module) v\(migration.version) (\(migration.name)) failed and was rolled back: \(error)"
            )
        }
    }

    private func ensureTable() async throws {
        try await store.transaction { db in
            try await db.raw("""
                CREATE TABLE IF NOT EXISTS \(ident: Self.table) (
                    module TEXT NOT NULL,
                    version BIGINT NOT NULL,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL,
                    PRIMARY KEY (module, version)
                )
                """).run()
        }
    }
}

@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PlatformContracts
import PostgresKit
import SQLKit
import SQLiteKit

/// The platform's one SQL layer: SQLKit over SQLite (embedded default) or PostgreSQL,
/// with the same queries, migrations and tests for both.
///
/// Every module writes through ``transaction(_:)`` or reads through ``read(_:)``; both hand
/// the closure an SQLKit `SQLDatabase` pinned to one pooled connection. Driver errors come
/// out as ``PlatformError`` with store codes.
///
/// ```swift
/// let store = try await SQLStore.open(.sqlite(path: "/var/lib/platformd/platform.db"), logger: logger)
/// try await Migrator(store: store, sets: [CoreSchema.migrations]).migrate()
/// try await store.transaction { db in
///     try await db.insert(into: "platform_settings").columns("key", "value", "updated_at")
///         .values(SQLBind("k"), SQLBind("v"), SQLBind(Timestamp.now().rfc3339)).run()
/// }
/// ```
public final class SQLStore: Sendable {
    /// Which database family this store talks to.
    public let backend: StoreBackend
    /// Where it is, with the password redacted when printed.
    public let location: DatabaseLocation

    private let source: any SQLConnectionSource
    private let writerLock: AsyncLock?
    private let threadPool: NIOThreadPool?

    private init(
        backend: StoreBackend, location: DatabaseLocation, source: any SQLConnectionSource,
        writerLock: AsyncLock?, threadPool: NIOThreadPool?
    ) {
        self.backend = backend
        self.location = location
        self.source = source
        self.writerLock = writerLock
        self.threadPool = threadPool
    }

    /// Opens a connection pool. SQLite files (and their folder) are created on first use;
    /// PostgreSQL connects lazily, so an unreachable server surfaces as
    /// ``ErrorCode/storeUnavailable`` on the first query, not here.
    /// - Parameters:
    ///   - location: The database.
    ///   - maxConnections: Pool size per event loop.
    ///   - logger: Receives driver logs.
    public static func open(
        _ location: DatabaseLocation,
        maxConnections: Int = 4,
        logger: Logger
    ) async throws -> SQLStore {
        let group = MultiThreadedEventLoopGroup.singleton
        switch location {
        case .sqlite(let path):
            let url = URL(fileURLWithPath: path)
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw PlatformError(.storeUnavailable, "cannot create the folder of \(path): \(error)")
            }
            // Each connection may block a thread in SQLite; more threads than connections
            // means a waiting connection never starves the one holding the lock.
            let connections = maxConnections * group.makeIterator().reduce(0) { count, _ in count + 1 }
            let threadPool = NIOThreadPool(numberOfThreads: connections + 2)
            threadPool.start()
            let pool = EventLoopGroupConnectionPool(
                source: SQLitePragmaSource(path: url.path, threadPool: threadPool),
                maxConnectionsPerEventLoop: maxConnections,
                requestTimeout: .seconds(10),
                logger: logger,
                on: group
            )
            var source = PooledConnectionSource(pool: pool, logger: logger) { $0.sql(queryLogLevel: .trace) }
            source.schema = SchemaGeneration()
            let store = SQLStore(
                backend: .sqlite, location: location, source: source, writerLock: AsyncLock(), threadPool: threadPool)
            _ = try await store.ping()
            return store
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw PlatformError(.storeInvalidURL, "cannot use database URL \(location.redacted): \(error)")
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: maxConnections,
                // As for SQLite: a burst of writers queued behind one row lock on a busy host
                // (CI runs the browser and runc suites alongside) must wait, not fail at 5 s.
                requestTimeout: .seconds(10),
                logger: logger,
                on: group
            )
            let source = PooledConnectionSource(pool: pool, logger: logger) { $0.sql(queryLogLevel: .trace) }
            return SQLStore(backend: .postgres, location: location, source: source, writerLock: nil, threadPool: nil)
        }
    }

    /// Runs read-only work on one pooled connection.
    public func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await source.withConnection(body)
        } catch {
            throw StoreErrorMapping.map(error, location: location)
        }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    /// SQLite writers are queued in process (one writer at a time, as SQLite requires).
    @discardableResult
    public func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            if let writerLock {
                return try await writerLock.withLock { try await runTransaction(body) }
            }
            return try await runTransaction(body)
        } catch {
            throw StoreErrorMapping.map(error, location: location)
        }
    }

    private func runTransaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await source.withConnection { db in
            try await db.raw(backend == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Round-trips `SELECT 1` and returns how long it took.
    @discardableResult
    public func ping() async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try await read { db in _ = try await db.raw("SELECT 1 AS one").all() }
        return clock.now - start
    }

    /// Tells the pool that a migration changed the schema: every connection reloads its
    /// cached schema before its next use (SQLite; see ``SchemaGeneration``).
    func schemaChanged() {
        source.schemaChanged()
    }

    /// Closes every pooled connection.
    public func shutdown() async {
        await source.shutdown()
        try? await threadPool?.shutdownGracefully()
    }
}

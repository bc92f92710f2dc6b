@preconcurrency import AsyncKit
import Logging
import NIOCore
import PlatformContracts
import SQLKit

/// Hands out one pinned SQLKit connection at a time from a pool.
protocol SQLConnectionSource: Sendable {
    func withConnection<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    func shutdown() async
    /// A migration changed the schema (see ``SchemaGeneration``).
    func schemaChanged()
}

/// An async-kit pool of either driver's connections, seen through SQLKit.
struct PooledConnectionSource<Source: ConnectionPoolSource>: SQLConnectionSource
where Source.Connection: Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    let logger: Logger
    let makeSQL: @Sendable (Source.Connection) -> any SQLDatabase
    /// Set for SQLite, whose connections cache the schema (PostgreSQL describes every result).
    var schema: SchemaGeneration? = nil
    /// The connections lent now; ``shutdown()`` waits for them.
    let loans = ConnectionLoans()

    func withConnection<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        guard loans.begin() else { throw PlatformError(.storeUnavailable, "the store is shutting down") }
        defer { loans.end() }
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        let db = makeSQL(connection)
        if let schema {
            let id = ObjectIdentifier(connection as AnyObject)
            if schema.needsReload(id) {
                do {
                    _ = try await db.raw("SELECT count(*) AS objects FROM sqlite_schema").all()
                } catch {
                    schema.markStale(id)
                    throw error
                }
            }
        }
        return try await body(db)
    }

    func schemaChanged() {
        schema?.bump()
    }

    func shutdown() async {
        await loans.drain()
        try? await pool.shutdownAsync()
    }
}

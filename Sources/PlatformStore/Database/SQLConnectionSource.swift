@preconcurrency import AsyncKit
import Logging
import NIOCore
import SQLKit

/// Hands out one pinned SQLKit connection at a time from a pool.
protocol SQLConnectionSource: Sendable {
    func withConnection<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    func shutdown() async
}

/// An async-kit pool of either driver's connections, seen through SQLKit.
struct PooledConnectionSource<Source: ConnectionPoolSource>: SQLConnectionSource
where Source.Connection: Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    let logger: Logger
    let makeSQL: @Sendable (Source.Connection) -> any SQLDatabase

    func withConnection<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        return try await body(makeSQL(connection))
    }

    func shutdown() async {
        try? await pool.shutdownAsync()
    }
}

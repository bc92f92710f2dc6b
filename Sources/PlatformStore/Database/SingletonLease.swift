import Foundation
import Logging
import PostgresKit
import ServiceLifecycle

/// Runs a `Service` on one replica at a time: work that must not run twice (the registry's
/// garbage collector, the storage sampler, statement closing, audit checkpoints) holds a
/// PostgreSQL session-level advisory lock named after it while it runs.
///
/// - The lock lives on a connection of its own. PostgreSQL releases it when that connection
///   ends, so a replica that dies (`kill -9`, a lost network) gives it up at once.
/// - The holder checks its connection every ``check`` and stops the work as soon as a check
///   fails (the lock may already be someone else's): work never outlives its lease by more
///   than one check, and a new holder waits two checks before it starts (fencing by time).
/// - The others try again every ``retry``, so one of them takes the work over within that.
///
/// On SQLite (one process per database file) the service simply runs.
public struct SingletonLease: Service {
    /// What holds the lease now, for logs and tests.
    public enum State: Sendable, Equatable {
        case waiting
        case holding
    }

    let store: SQLStore
    /// The lock's name (`hashtext(name)` keys it).
    public let name: String
    let inner: any Service
    let retry: Duration
    let check: Duration
    let logger: Logger
    let onState: @Sendable (State) -> Void

    /// Wraps `inner`.
    public init(_ name: String, store: SQLStore, running inner: any Service, retry: Duration = .seconds(2), check: Duration = .seconds(1),
                logger: Logger, onState: @escaping @Sendable (State) -> Void = { _ in }) {
        self.name = name
        self.store = store
        self.inner = inner
        self.retry = retry
        self.check = check
        self.logger = logger
        self.onState = onState
    }

    /// Takes the lease whenever it is free and runs the work while holding it, until
    /// graceful shutdown.
    public func run() async throws {
        guard case .postgres(let url) = store.location, let configuration = try? SQLPostgresConfiguration(url: url) else {
            onState(.holding)
            try await inner.run()
            return
        }
        var attempt = 0
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            attempt += 1
            onState(.waiting)
            let connection: PostgresConnection
            do {
                connection = try await PostgresConnection.connect(configuration: configuration.coreConfiguration, id: attempt, logger: logger)
            } catch {
                logger.warning("lease not reachable", metadata: ["lease": "\(name)", "error": "\(String(reflecting: error))"])
                try? await gracefulShutdown(within: retry)
                continue
            }
            // Every path below closes the connection (PostgresNIO traps on one dropped open).
            var finished = false
            do {
                if try await tryLock(on: connection) {
                    // A holder that lost its connection stops within one check: wait two
                    // before starting, so the old and the new never run at once.
                    try await Task.sleep(for: check * 2)
                    onState(.holding)
                    logger.notice("lease taken", metadata: ["lease": "\(name)"])
                    finished = try await holding(connection)
                    if finished {
                        _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(name)))", logger: logger)
                    } else {
                        logger.warning("lease lost; the work stopped", metadata: ["lease": "\(name)"])
                    }
                }
            } catch is CancellationError {
                finished = true
            } catch {
                logger.warning("leased work failed", metadata: ["lease": "\(name)", "error": "\(String(reflecting: error))"])
            }
            try? await connection.close()
            if finished || Task.isCancelled { return }
            onState(.waiting)
            try? await gracefulShutdown(within: retry)
        }
    }

    /// Runs the work while the lock's connection answers.
    /// - Returns: `true` when the work finished (shutdown), `false` when the lease was lost.
    private func holding(_ connection: PostgresConnection) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await inner.run()
                return true
            }
            group.addTask { [check, logger] in
                while !Task.isCancelled {
                    try await Task.sleep(for: check)
                    // A terminated session may leave a query waiting: a check that does not
                    // answer within `check` counts as lost too.
                    guard !connection.isClosed, await Self.answers(connection, within: check, logger: logger) else {
                        return Task.isCancelled  // cancelled mid-check: a shutdown, not a loss
                    }
                }
                return true
            }
            let first = try await group.next() ?? true
            group.cancelAll()
            return first
        }
    }

    /// Whether `SELECT 1` answers on the lock's connection within `limit`.
    static func answers(_ connection: PostgresConnection, within limit: Duration, logger: Logger) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await connection.query("SELECT 1", logger: logger)) != nil }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func tryLock(on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT pg_try_advisory_lock(hashtext(\(name))) AS held", logger: logger)
        for try await held in rows.decode(Bool.self) { return held }
        return false
    }

    /// Sleeps `duration`, or less when a graceful shutdown begins.
    private func gracefulShutdown(within duration: Duration) async throws {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}

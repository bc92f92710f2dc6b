import Logging
import PlatformContracts
import PlatformStore
import ServiceLifecycle
import Synchronization

/// Keeps the database usable: when it was unreachable at start-up, retries migrations
/// with back-off until they succeed, while `/readyz` reports why it is not ready. A schema
/// newer than this build stops the server (the service throws, the group shuts down).
public final class StoreSupervisor: Service, Sendable {
    private enum State {
        case pending(String)
        case ready([String: Int])
    }

    private let migrator: Migrator
    private let logger: Logger
    private let onReady: @Sendable () async throws -> Void
    private let state: Mutex<State>

    /// Creates a supervisor.
    /// - Parameters:
    ///   - migrator: Migrates the store.
    ///   - initialProblem: Why the store is not ready yet, or `nil` when it already is.
    ///   - applied: Applied schema versions when it is ready.
    ///   - onReady: Runs once the schema is migrated late (first-start bootstrap).
    public init(migrator: Migrator, initialProblem: String?, applied: [String: Int], logger: Logger,
                onReady: @escaping @Sendable () async throws -> Void = {}) {
        self.onReady = onReady
        self.migrator = migrator
        self.logger = logger
        self.state = Mutex(initialProblem.map(State.pending) ?? .ready(applied))
    }

    /// Why the schema is not usable yet; `nil` when migrated.
    public func schemaProblem() -> String? {
        state.withLock { state in
            if case .pending(let problem) = state { return "schema not migrated yet: \(problem)" }
            return nil
        }
    }

    /// Applied schema versions per module (empty until migrated).
    public func appliedVersions() -> [String: Int] {
        state.withLock { state in
            if case .ready(let versions) = state { return versions }
            return [:]
        }
    }

    /// Retries until migrated, then waits for shutdown.
    public func run() async throws {
        var delay = Duration.seconds(1)
        while schemaProblem() != nil {
            do {
                let count = try await migrator.migrate()
                let versions = try await migrator.appliedVersions()
                try await onReady()
                state.withLock { $0 = .ready(versions) }
                logger.notice("database reachable; schema ready", metadata: ["applied": "\(count)"])
            } catch let error as PlatformError where error.code == .storeUnavailable {
                state.withLock { $0 = .pending(error.message) }
                logger.warning("database unavailable; retrying", metadata: [
                    "error": "\(error.message)", "retry_in": "\(delay)",
                ])
                let wait = delay
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                delay = min(delay * 2, .seconds(30))
            }
        }
        try? await gracefulShutdown()
    }
}

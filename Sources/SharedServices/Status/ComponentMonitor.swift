import Logging
import PlatformContracts
import ServiceLifecycle

/// Feeds the status board from the readiness checks: every `interval` (`--status-interval`,
/// default 15 s) it runs them once, folds them into one observation per declared component
/// and records them; the board writes a history entry for each condition that changed.
/// The first pass runs at start, so the components exist before the first `/status` read.
public struct ComponentMonitor: Service {
    let board: StatusBoardService
    let health: any HealthReporting
    let interval: Duration
    let logger: Logger

    /// Creates the monitor.
    public init(board: StatusBoardService, health: any HealthReporting, interval: Duration, logger: Logger) {
        self.board = board
        self.health = health
        self.interval = interval
        self.logger = logger
    }

    /// Passes until shutdown; a failed pass (the store down) is logged and retried next interval.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pass()
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One pass: the checks, then the board's record.
    public func pass() async {
        let report = await health.readiness()
        let observations = board.components.map { ComponentObservation.from(report, for: $0) }
        do {
            let changed = try await board.record(observations)
            if !changed.isEmpty { logger.info("component conditions changed", metadata: ["components": "\(changed)"]) }
        } catch {
            logger.warning("status monitor pass failed", metadata: ["error": "\(error)"])
        }
    }
}

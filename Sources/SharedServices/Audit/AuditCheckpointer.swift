import Logging
import PlatformContracts
import ServiceLifecycle

/// Signs a checkpoint every `everyRecords` appended records or every `interval`, whichever
/// comes first, and a last one on shutdown.
public struct AuditCheckpointer: Service {
    let log: AuditLog
    let everyRecords: Int64
    let interval: Duration
    let logger: Logger

    /// Creates the service.
    public init(log: AuditLog, everyRecords: Int64 = 1000, interval: Duration = .seconds(60), logger: Logger) {
        self.log = log
        self.everyRecords = everyRecords
        self.interval = interval
        self.logger = logger
    }

    /// Polls once a second until shutdown.
    public func run() async throws {
        let clock = ContinuousClock()
        var last = clock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            do {
                let pending = try await log.pendingSinceCheckpoint()
                if pending >= everyRecords || (pending > 0 && clock.now - last >= interval) {
                    if let size = try await log.checkpoint() {
                        logger.info("audit checkpoint signed", metadata: ["size": "\(size)"])
                    }
                    last = clock.now
                }
            } catch {
                logger.warning("audit checkpoint failed; will retry", metadata: ["error": "\(error)"])
            }
        }
        _ = try? await log.checkpoint()
    }
}

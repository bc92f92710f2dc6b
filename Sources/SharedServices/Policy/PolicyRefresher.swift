import Logging
import PlatformContracts
import ServiceLifecycle

/// Keeps a replica's policy snapshot fresh: every `interval` of the injected clock it calls
/// ``PolicyService/refresh()``, so the snapshot's age stays near the interval while the store
/// answers and grows past the freshness budget (and writes fail closed) when it does not.
public struct PolicyRefresher: Service {
    let policy: PolicyService
    let interval: Duration
    let clock: any PlatformClock
    let logger: Logger

    /// Creates the refresher.
    /// - Parameters:
    ///   - interval: Time between refreshes (default 15 s); well inside the budget.
    ///   - clock: Paces the loop (a manual clock in tests).
    public init(policy: PolicyService, interval: Duration = .seconds(15), clock: any PlatformClock = SystemClock(),
                logger: Logger = Logger(label: "platform.policy")) {
        self.policy = policy
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    /// Refreshes until cancelled or the service group shuts down gracefully; a failed refresh
    /// is logged and retried at the next tick (the age grows meanwhile).
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await policy.refresh()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("policy refresh failed", metadata: [
                        "error": "\(error)", "age_ms": "\(policy.age.wholeMilliseconds)"])
                }
                try await clock.sleep(for: interval)
            }
        }
    }
}

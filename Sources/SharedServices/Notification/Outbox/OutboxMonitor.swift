import Logging
import PlatformContracts
import PlatformStore
import ServiceLifecycle

/// Refreshes the outbox's metrics (pending, oldest pending age, failures, dead letters) from
/// ``OutboxDispatcher/counts()`` every ``interval``: one small query, so the gauges cost
/// nothing per scrape and a stalled dispatcher still shows up as a growing age.
public struct OutboxMonitor: Service {
    let counts: @Sendable () async throws -> OutboxCounts
    let publish: @Sendable (OutboxCounts) -> Void
    let clock: any PlatformClock
    let interval: Duration
    let logger: Logger

    /// Creates the monitor.
    /// - Parameters:
    ///   - counts: Reads the counts (the dispatcher's `counts()`).
    ///   - publish: Sets the gauges.
    ///   - interval: Time between refreshes (default 5 s).
    public init(counts: @escaping @Sendable () async throws -> OutboxCounts, clock: any PlatformClock = SystemClock(),
                interval: Duration = .seconds(5), logger: Logger, publish: @escaping @Sendable (OutboxCounts) -> Void) {
        self.counts = counts
        self.publish = publish
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    publish(try await counts())
                } catch is CancellationError {
                    return
                } catch {
                    logger.debug("outbox counts unavailable", metadata: ["error": "\(error)"])
                }
                try await clock.sleep(for: interval)
            }
        }
    }
}

/// `/readyz`'s `outbox:oldest-pending`: warns when the oldest pending intent has waited longer
/// than ``threshold`` (30 s: the seed's dispatch-intent p99 budget), so a stalled dispatcher or
/// a receiver that keeps failing is visible before anyone misses a notice. It warns rather
/// than fails: the server still serves, and taking it out of rotation would not deliver
/// anything sooner.
public struct OutboxHealthCheck: HealthCheck {
    public let key = "outbox:oldest-pending"
    let counts: @Sendable () async throws -> OutboxCounts
    let threshold: Duration

    /// Creates the check.
    /// - Parameters:
    ///   - counts: Reads the counts (the dispatcher's `counts()`).
    ///   - threshold: The age above which the check warns.
    public init(threshold: Duration = .seconds(30), counts: @escaping @Sendable () async throws -> OutboxCounts) {
        self.counts = counts
        self.threshold = threshold
    }

    public func check() async -> HealthCheckResult {
        do {
            let counts = try await counts()
            let age = counts.oldestPendingAge ?? .zero
            let seconds = age.wholeMilliseconds / 1000
            guard age > threshold else {
                return HealthCheckResult(status: .pass, componentType: "component", observedValue: seconds, observedUnit: "s")
            }
            return HealthCheckResult(
                status: .warn, componentType: "component", observedValue: seconds, observedUnit: "s",
                output: "the oldest pending outbox intent has waited \(seconds) s (over \(threshold.wholeMilliseconds / 1000) s); \(counts.pending) pending, \(counts.dead) dead-lettered")
        } catch {
            return HealthCheckResult(status: .warn, componentType: "component", output: "outbox counts unavailable: \(error)")
        }
    }
}

import Logging
import PlatformContracts
import SQLKit
import ServiceLifecycle

/// The one path for asynchronous effects: claims due intents from `outbox_intents`, hands each
/// to the consumer registered for its topic, and records the outcome — delivered, retried later
/// with ``OutboxBackoff``, or dead-lettered after the last attempt.
///
/// Delivery is at least once. A claim is a lease (``claimDuration``): a dispatcher that crashes
/// mid-batch leaves rows that another claims once the lease expires, so consumers must be
/// idempotent by event id (see ``OutboxConsumer``). Several dispatchers (replicas) may share one
/// table; a claim never hands one intent to two of them while its lease holds.
///
/// ```swift
/// let dispatcher = OutboxDispatcher(store: store, consumers: ["instance.failed": webhooks], logger: logger)
/// let group = ServiceGroup(services: [dispatcher], logger: logger)
/// ```
public struct OutboxDispatcher: Service {
    /// Identifies this dispatcher in `claim_owner` (host and process, for an operator).
    public let owner: String
    let store: SQLStore
    private let consumers: [String: any OutboxConsumer]
    let clock: any PlatformClock
    /// Retry delays and the attempt limit.
    let backoffPolicy: OutboxBackoff
    /// How long a claim holds before another dispatcher may take the row.
    public let claimDuration: Duration
    private let batchSize: Int
    private let pollInterval: Duration
    /// Deliveries ``run()`` keeps going at once.
    public let maxInFlight: Int
    let jitter: @Sendable () -> Double
    let logger: Logger

    /// Creates a dispatcher.
    /// - Parameters:
    ///   - store: The database holding the `outbox` module's table.
    ///   - consumers: One consumer per topic; an intent of any other topic fails and is retried.
    ///   - owner: This dispatcher's name in claims (a fresh ULID by default).
    ///   - clock: Reads due times and paces polling (``ManualClock`` in tests).
    ///   - backoff: Retry delays and the attempt limit.
    ///   - claimDuration: The claim lease (default 60 s); longer than any delivery should take.
    ///   - batchSize: Intents claimed per poll.
    ///   - pollInterval: The wait between polls that found nothing to do.
    ///   - maxInFlight: Deliveries ``run()`` keeps going at once (default 64).
    ///   - random: Jitter source returning `0..<1` (a fixed value makes tests deterministic).
    ///   - logger: Receives failures.
    public init(
        store: SQLStore,
        consumers: [String: any OutboxConsumer],
        owner: String = ULID().description,
        clock: any PlatformClock = SystemClock(),
        backoff: OutboxBackoff = OutboxBackoff(),
        claimDuration: Duration = .seconds(60),
        batchSize: Int = 32,
        pollInterval: Duration = .seconds(1),
        maxInFlight: Int = 64,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger = Logger(label: "platform.store.outbox")
    ) {
        self.store = store
        self.consumers = consumers
        self.owner = owner
        self.clock = clock
        self.backoffPolicy = backoff
        self.claimDuration = claimDuration
        self.batchSize = max(1, batchSize)
        self.pollInterval = pollInterval
        self.maxInFlight = max(1, maxInFlight)
        self.jitter = random
        self.logger = logger
    }

    /// Polls until cancelled or the service group shuts down gracefully, keeping up to
    /// ``maxInFlight`` deliveries running at once.
    ///
    /// Deliveries are pipelined, not batched: while one is slow (a receiver that is down makes
    /// each attempt wait out its connect timeout) the loop goes on claiming and delivering the
    /// others, so a dead endpoint delays only its own intents. A poll that claimed anything
    /// polls again at once, so a backlog drains and the intents a consumer wrote (the
    /// notification fan-out's children) go out without waiting for the interval; a poll that
    /// found nothing waits for the interval or for a delivery to finish, whichever comes first.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await pipeline()
        }
    }

    /// What a task of the run loop's group finished.
    private enum Finished: Sendable { case delivery, tick }

    private func pipeline() async {
        await withTaskGroup(of: Finished.self) { group in
            var inFlight = 0
            var ticking = false
            while !Task.isCancelled {
                var claimed = 0
                if inFlight < maxInFlight {
                    do {
                        let claim = try await claimDue(limit: min(batchSize, maxInFlight - inFlight))
                        for intent in claim.intents {
                            group.addTask {
                                do {
                                    try await deliver(intent, under: claim.token)
                                } catch is CancellationError {
                                } catch {
                                    logger.warning("outbox outcome not recorded", metadata: ["event": "\(intent.id)", "error": "\(error)"])
                                }
                                return .delivery
                            }
                        }
                        claimed = claim.intents.count
                        inFlight += claimed
                    } catch is CancellationError {
                        break
                    } catch {
                        logger.warning("outbox claim failed", metadata: ["error": "\(error)"])
                    }
                }
                if claimed > 0 && inFlight < maxInFlight { continue }
                if claimed == 0 && !ticking {
                    ticking = true
                    let clock = self.clock, interval = self.pollInterval
                    group.addTask {
                        try? await clock.sleep(for: interval)
                        return .tick
                    }
                }
                switch await group.next() {
                case .delivery?: inFlight -= 1
                case .tick?: ticking = false
                case nil: break
                }
            }
            group.cancelAll()
        }
    }

    /// Claims one batch of due intents, delivers them concurrently, and records the outcomes.
    ///
    /// Concurrently, so that a receiver that is down (each attempt waits out its connect
    /// timeout) delays only its own intents, not every other one claimed with them; the batch
    /// still ends with its slowest delivery. Intents of one batch are not delivered in order.
    /// - Returns: How many intents it handled (delivered, rescheduled or dead-lettered).
    @discardableResult
    public func dispatchDue() async throws -> Int {
        let claim = try await claimDue(limit: batchSize)
        try await withThrowingDiscardingTaskGroup { group in
            for intent in claim.intents {
                group.addTask { try await deliver(intent, under: claim.token) }
            }
        }
        return claim.intents.count
    }

    private func deliver(_ intent: OutboxIntent, under token: String) async throws {
        do {
            guard let consumer = consumers[intent.topic] else {
                throw OutboxDeliveryError(message: "no consumer is registered for topic \(intent.topic)")
            }
            try await consumer.deliver(intent)
        } catch is CancellationError {
            // Shutting down: the claim lapses and another dispatcher (or the next start) retries.
            throw CancellationError()
        } catch let error as OutboxUndeliverable {
            try await recordFailure(of: intent, error: "\(error)", under: token, final: true)
            return
        } catch {
            try await recordFailure(of: intent, error: "\(error)", under: token)
            return
        }
        try await recordDelivered(intent, under: token)
    }
}

/// A delivery that failed before any consumer ran.
struct OutboxDeliveryError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

import Foundation
import Logging
import MeteringService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import Synchronization

/// Issue 19's billing figures: usage ingest throughput in batches of 100 against single-event
/// ingest (the peer, same store, same run), and usage → rated lag under sustained ingest —
/// a producer sends `--rate` events/s in batches of 100 for `--seconds` while the rating
/// worker's loop (a pass, then wait for the ingest wake-up or the 1 s interval, as
/// `RatingWorker.run()` does) rates them. Lag is each event's recording to the commit of the
/// pass that rated it. Prints a table; it asserts nothing.
///
/// `swift run -c release PlatformBenchmarks billing [--postgres] [--events N] [--single N] [--rate R] [--seconds S]`
enum BillingBenchmark {
    static func run(_ arguments: [String]) async throws {
        func value(_ flag: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: flag).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let (events, single, rate, seconds) = (value("--events", 20_000), value("--single", 2_000), value("--rate", 1_000), value("--seconds", 10))
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let directory = try TemporaryDirectory(prefix: "platform-bench-billing")
        defer { directory.remove() }
        var backends: [(String, DatabaseLocation)] = [("sqlite", .sqlite(path: directory.appending("bench.db").path))]
        if arguments.contains("--postgres") {
            backends.append(("postgres", try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())))
        }
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        print("billing: ingest \(events) events in batches of 100 vs \(single) single-event ingests; rating lag at \(rate) events/s for \(seconds) s")
        print("command: swift run -c \(configuration) PlatformBenchmarks \(arguments.dropFirst().joined(separator: " "))")
        print("backend   measure                                   events   events/s    p50 ms    p99 ms    max ms")
        for (name, location) in backends {
            let store = try await SQLStore.open(location, maxConnections: 8, logger: quiet)
            try await Migrator(store: store, sets: [OutboxSchema.migrations, MeteringSchema.migrations, BillingSchema.migrations],
                               logger: quiet).migrate()
            let signal = RatingSignal()
            let usage = UsageEventLog(store: store, units: units, lateWindow: .seconds(72 * 3600), onIngest: { signal.signal() })

            // Throughput: batches of 100, then the same events one per call.
            let clock = ContinuousClock()
            var start = clock.now
            for batch in stride(from: 0, to: events, by: 100) {
                _ = try await usage.ingest((batch..<min(batch + 100, events)).map { event("b\($0)") })
            }
            let batched = clock.now - start
            start = clock.now
            for index in 0..<single { _ = try await usage.ingest([event("s\(index)")]) }
            let singles = clock.now - start
            row(name, "ingest, batches of 100", events, rate: Double(events) / elapsedSeconds(batched))
            row(name, "ingest, one event per call (peer)", single, rate: Double(single) / elapsedSeconds(singles))

            // Drain what the throughput runs queued, so the lag run starts from an empty queue.
            // The worker reports each event's lag to its pass's start after the pass commits; the
            // commit's own time is added here, so a lag is recording → committed rating.
            let lags = LagRecorder()
            var observers = RatingWorker.Observers()
            observers.rated = { lag in lags.record(lag) }
            let worker = RatingWorker(store: store, policy: FixedPolicyEvaluator(snapshot), units: units, signal: signal, observers: observers,
                                      logger: quiet)
            while try await RatingWorker.unratedCount(store) > 0 { try await worker.rateQueued() }
            lags.reset()

            try await sustained(usage: usage, worker: worker, signal: signal, store: store, lags: lags, rate: rate, seconds: seconds)
            let measured = lags.values
            row(name, "usage → rated lag, sustained ingest", measured.count, rate: Double(measured.count) / Double(seconds), lags: measured)
            await store.shutdown()
        }
    }

    /// Ingests `rate` events/s in batches of 100 for `seconds` beside the rating loop, then
    /// waits for the queue to drain; `lags` collects each event's recording → commit of its pass.
    static func sustained(usage: UsageEventLog, worker: RatingWorker, signal: RatingSignal, store: SQLStore, lags: LagRecorder, rate: Int,
                          seconds: Int) async throws {
        let stop = Atomic<Bool>(false)
        let rater = Task {
            while true {
                if stop.load(ordering: .relaxed), try await RatingWorker.unratedCount(store) == 0 { return }
                lags.passStarted()
                let pass = try await worker.rateQueued()
                if !(pass.rated + pass.waiting >= worker.batchSize && pass.rated > 0) { await signal.wait(timeout: worker.interval) }
            }
        }
        let batchesPerSecond = max(1, rate / 100)
        let period = Duration.milliseconds(1000 / Int64(batchesPerSecond))
        let clock = ContinuousClock()
        var next = clock.now
        for batch in 0..<(batchesPerSecond * seconds) {
            _ = try await usage.ingest((0..<100).map { event("lag-\(batch)-\($0)") })
            next = next.advanced(by: period)
            try await clock.sleep(until: next)
        }
        stop.store(true, ordering: .relaxed)
        signal.signal()
        try await rater.value
    }

    /// Lags in ms: the worker's lag (recorded → pass start) plus the pass's own duration up to
    /// the moment the observer runs, after the commit.
    final class LagRecorder: Sendable {
        private let state = Mutex<(passStart: ContinuousClock.Instant, lags: [Double])>((ContinuousClock.now, []))

        func passStarted() { state.withLock { $0.passStart = ContinuousClock.now } }

        func record(_ lag: Duration) {
            state.withLock { $0.lags.append(BillingBenchmark.elapsedSeconds(lag + (ContinuousClock.now - $0.passStart)) * 1000) }
        }

        func reset() { state.withLock { $0.lags = [] } }

        var values: [Double] { state.withLock { $0.lags } }
    }

    static let units = UsageUnitRegistry(version: 2, units: [
        UsageUnitDefinition(unitId: "inference.token", owner: "token-factory", version: 1, precision: 1000, ratingCategory: .consumption,
                            lifecycle: .active, description: "tokens", display: "1k tokens"),
    ])

    static let snapshot = PolicySnapshot(
        id: "01JBENCHP0L1CYSNAPSH0T0001", version: 1, createdAt: .now(),
        definitions: ["billing.prepaid": PolicyDefinition(policyKey: "billing.prepaid", scope: .tenant, type: .flag, default: .flag(false),
                                                          description: "prepaid")],
        plans: ["plan.bench": PolicyPlan(planId: "plan.bench", description: "bench", values: [:])], defaultPlan: "plan.bench",
        priceBook: PriceBook(version: 1, currency: "USD", assetScale: 6, entries: [
            PriceBook.Entry(plan: "*", unit: "inference.token", unitPrice: 2000, effectiveFrom: Timestamp(millisecondsSinceEpoch: 0)),
        ]))

    static func event(_ id: String) -> UsageEvent {
        UsageEvent(source: "token-factory", id: id, unit: "inference.token", quantity: 1500, tenant: "bench",
                   project: ProjectID("01JBENCHBILLINGPR0JECT0000"), product: "token-factory", app: "chat", occurredAt: .now())
    }

    static func elapsedSeconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func row(_ backend: String, _ measure: String, _ count: Int, rate: Double, lags: [Double] = []) {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        func left(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        let sorted = lags.sorted()
        func percentile(_ p: Double) -> String {
            sorted.isEmpty ? "-" : String(format: "%.0f", sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)])
        }
        print(pad(backend, 10) + pad(measure, 40) + left("\(count)", 8) + left(String(format: "%.0f", rate), 11)
              + left(percentile(0.50), 10) + left(percentile(0.99), 10) + left(sorted.last.map { String(format: "%.0f", $0) } ?? "-", 10))
    }
}

import AppPlatform
import Foundation
import Logging
import MeteringService
import PlatformContracts
import PlatformStore
import PlatformTestKit

/// What durable quota counting costs one admission (issue 18): the instance insert with the
/// project's admission lock, the count over its live rows and the check, against the same
/// insert alone, with `--live` live instances in the project; and the month's GPU-seconds
/// sum admission reads before it, over `--events` recorded usage events. Prints p50/p99.
enum QuotaAdmissionBenchmark {
    static func run(_ arguments: [String]) async throws {
        func value(_ flag: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: flag).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let (live, iterations, events) = (value("--live", 20), value("--iterations", 500), value("--events", 20_000))
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let directory = try TemporaryDirectory(prefix: "platform-bench-quota")
        defer { directory.remove() }
        var backends: [(String, DatabaseLocation)] = [("sqlite", .sqlite(path: directory.appending("bench.db").path))]
        if arguments.contains("--postgres") {
            backends.append(("postgres", try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())))
        }
        print("quota check per admission: \(live) live instances in the project, \(iterations) admissions; GPU-hours sum over \(events) usage events")
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        print("command: swift run -c \(configuration) PlatformBenchmarks \(arguments.dropFirst().joined(separator: " "))")
        print("backend   measure                              p50 ms   p99 ms")
        for (name, location) in backends {
            let store = try await SQLStore.open(location, logger: quiet)
            try await Migrator(store: store, sets: [CoreSchema.migrations, InstanceSchema.migrations, MeteringSchema.migrations,
                                                    BillingSchema.migrations], logger: quiet).migrate()
            let figures = try await AdmissionCostProbe.run(store: store, live: live, iterations: iterations)
            let units = UsageUnitRegistry(version: 2, units: ["gpu-hour.h100", "app-runtime-hour"].map {
                UsageUnitDefinition(unitId: $0, owner: "apps", version: 1, precision: 3600, ratingCategory: $0.hasPrefix("gpu") ? .gpu : .runtime,
                                    lifecycle: .active, description: $0, display: $0)
            })
            let usage = UsageEventLog(store: store, units: units, lateWindow: .seconds(72 * 3600))
            let project = "01JBENCHUSAGEPR0JECT000000"
            let now = Timestamp.now()
            for index in 0..<events {
                try await usage.record(UsageEvent(source: "apps", id: "e\(index)", unit: index % 2 == 0 ? "gpu-hour.h100" : "app-runtime-hour",
                                                  quantity: 60, tenant: "bench", project: ProjectID(project), product: "apps", occurredAt: now))
            }
            var sums: [Double] = []
            let clock = ContinuousClock()
            for _ in 0..<min(iterations, 200) {
                let start = clock.now
                _ = try await usage.total(project: project, unit: "gpu-hour", since: now.monthStart)
                let elapsed = clock.now - start
                sums.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            }
            await store.shutdown()
            row(name, "insert with lock + count + check", figures.checked)
            row(name, "insert alone", figures.unchecked)
            let deltas = zip(figures.checked.sorted(), figures.unchecked.sorted()).map { $0 - $1 }
            row(name, "quota check (difference)", deltas)
            row(name, "GPU-seconds this month (SUM)", sums)
        }
    }

    static func row(_ backend: String, _ measure: String, _ values: [Double]) {
        let sorted = values.sorted()
        func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        print(backend.padding(toLength: 10, withPad: " ", startingAt: 0) + measure.padding(toLength: 37, withPad: " ", startingAt: 0)
              + String(format: "%7.3f  %7.3f", at(0.5), at(0.99)))
    }
}

extension Timestamp {
    /// The first instant of this timestamp's UTC calendar month.
    var monthStart: Timestamp { Timestamp(rfc3339: String(rfc3339.prefix(7)) + "-01T00:00:00.000Z") ?? self }
}

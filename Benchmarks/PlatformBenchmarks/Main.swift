import AuditService
import Crypto
import Foundation
import IAMService
import Logging
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RegistryService
import TransparencyLog

/// Measures authorization (read from the tables, and through the IAM read model) and
/// audit-append latency under concurrent load on SQLite and
/// PostgreSQL, next to a `SELECT 1` round trip on the same pool (the floor any store-backed
/// decision pays). Prints p50/p99/max and throughput; it asserts nothing.
///
/// `swift run -c release PlatformBenchmarks [--postgres] [--concurrency N] [--operations N]`
/// `swift run -c release PlatformBenchmarks manifests [--iterations N]`
/// `swift run -c release PlatformBenchmarks portal [--iterations N]`
/// `swift run -c release PlatformBenchmarks quota [--postgres] [--live N] [--iterations N] [--events N]`
/// `swift run -c release PlatformBenchmarks manifest-once FILE [--unlimited]`
/// `swift run -c release PlatformBenchmarks billing [--postgres] [--events N] [--single N] [--rate R] [--seconds S]`
/// `swift run -c release PlatformBenchmarks status [--postgres] [--concurrency N] [--operations N] [--incidents N]`
/// `swift run -c release PlatformBenchmarks console [--postgres] [--instances N] [--audit N] [--iterations N]`
/// `swift run -c release PlatformBenchmarks launch-features [--runs N] [--poll-ms MS] [--without FEATURE,…]`
@main
enum PlatformBenchmarks {
    static func main() async throws {
        try await run(CommandLine.arguments)
    }

    nonisolated static func run(_ arguments: [String]) async throws {
        if arguments.dropFirst().first == "portal" {
            try PortalBenchmark.run(iterations: arguments.firstIndex(of: "--iterations").flatMap { Int(arguments[$0 + 1]) } ?? 50)
            return
        }
        if arguments.dropFirst().first == "manifest-once", arguments.count >= 3 {
            try ManifestBombBenchmark.run(file: arguments[2], unlimited: arguments.contains("--unlimited"))
            return
        }
        if arguments.dropFirst().first == "console" { try await ConsoleRenderBenchmark.run(arguments); return }
        if arguments.dropFirst().first == "status" {
            try await StatusBenchmark.run(arguments)
            return
        }
        if arguments.dropFirst().first == "launch-features" {
            try await LaunchFeaturesBenchmark.run(arguments)
            return
        }
        if arguments.dropFirst().first == "billing" {
            try await BillingBenchmark.run(arguments)
            return
        }
        if arguments.dropFirst().first == "quota" {
            try await QuotaAdmissionBenchmark.run(arguments)
            return
        }
        if arguments.dropFirst().first == "manifests" {
            let iterations = arguments.firstIndex(of: "--iterations").flatMap { Int(arguments[$0 + 1]) } ?? 3000
            try ManifestBenchmark.run(iterations: iterations)
            return
        }
        func value(_ flag: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: flag).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let concurrency = value("--concurrency", 16)
        let operations = value("--operations", 4000)
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let registries = try RegistryFiles.at(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("manifests/platform"),
                                           setting: "nothing: run the benchmarks from the checkout")

        var backends: [(String, DatabaseLocation)] = []
        let directory = try TemporaryDirectory(prefix: "platform-bench")
        defer { directory.remove() }
        backends.append(("sqlite", .sqlite(path: directory.appending("bench.db").path)))
        if arguments.contains("--postgres") {
            backends.append(("postgres", try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())))
        }
        print("platform benchmarks: \(concurrency) concurrent tasks, \(operations) operations each measurement")
        print("command: swift run -c release PlatformBenchmarks \(arguments.dropFirst().joined(separator: " "))")
        print("")
        print(Row.header)
        for (name, location) in backends {
            let store = try await SQLStore.open(location, maxConnections: 8, logger: quiet)
            try await Migrator(store: store, sets: [CoreSchema.migrations, IAMSchema.migrations, AuditSchema.migrations], logger: quiet).migrate()
            let audit = AuditLog(
                store: store, actions: try registries.auditActions(),
                signer: NoteKey(name: "bench", privateKey: .init()), origin: "bench/audit")
            let identity = IAMDirectory(store: store, scopes: try registries.scopes(), audit: audit)
            let keyFile = directory.appending("admin-\(name).key")
            try await identity.bootstrapIfEmpty(keyFile: keyFile)
            let adminKey = try String(contentsOf: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

            print(try await measure("\(name) SELECT 1 (floor)", concurrency, operations) { _ in try await store.ping() })
            print(try await measure("\(name) authenticate+authorize", concurrency, operations) { _ in
                let caller = try await identity.authenticate(keyText: adminKey)
                guard try await identity.authorize(caller, scope: "iam:key:read") == .allow else { fatalError("denied") }
            })
            // The same calls through the read model platformd runs (5 s budget, listening as
            // on SQLite; on PostgreSQL platformd's listener makes it so), after one warm-up miss.
            let cached = IAMDirectory(store: store, scopes: try registries.scopes(), audit: audit,
                                      readModel: IAMReadModel(budget: .seconds(5), listening: true))
            print(try await measure("\(name) authn+authz, read model", concurrency, operations) { _ in
                let caller = try await cached.authenticate(keyText: adminKey)
                guard try await cached.authorize(caller, scope: "iam:key:read") == .allow else { fatalError("denied") }
            })
            print(try await measure("\(name) audit append", concurrency, operations) { index in
                try await audit.record(AuditEvent(
                    actor: PrincipalID("bench"), action: "iam.access.denied", target: "bench/\(index)", outcome: .denied))
            })
            let export = try await store.read { db in try await audit.exportSnapshot(db) }
            precondition(AuditLogVerifier.verify(export).valid, "the benchmark's audit chain does not verify")
            await store.shutdown()
        }
    }

    struct Row: CustomStringConvertible {
        static let header = "measurement                               ops/s     p50 ms    p99 ms    max ms"
        let name: String
        let throughput: Double
        let p50: Double
        let p99: Double
        let max: Double
        var description: String {
            name.padding(toLength: 40, withPad: " ", startingAt: 0)
                + [throughput, p50, p99, max].map { String(format: "%10.2f", $0) }.joined()
        }
    }

    static func measure(
        _ name: String, _ concurrency: Int, _ operations: Int, _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws -> Row {
        let clock = ContinuousClock()
        let start = clock.now
        let samples = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var samples: [Duration] = []
                    for index in stride(from: worker, to: operations, by: concurrency) {
                        let begin = clock.now
                        try await body(index)
                        samples.append(clock.now - begin)
                    }
                    return samples
                }
            }
            return try await group.reduce(into: [Duration]()) { $0 += $1 }.sorted()
        }
        let elapsed = clock.now - start
        func ms(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        func percentile(_ p: Double) -> Double { ms(samples[min(samples.count - 1, Int(Double(samples.count) * p))]) }
        return Row(
            name: name, throughput: Double(samples.count) / (ms(elapsed) / 1000), p50: percentile(0.5), p99: percentile(0.99),
            max: ms(samples.last ?? .zero))
    }
}

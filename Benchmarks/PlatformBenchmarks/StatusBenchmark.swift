import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit

/// The public status read (issue 20's SLO: p99 ≤ 2 ms) against what a status read would cost
/// without the in-memory cache, in the same run on the same live server over loopback HTTP:
///
/// - `GET /livez`: the floor (routing, one HTTP round trip, no work);
/// - `GET /status`: the customer-safe view from the status board's cache;
/// - `GET /readyz`: every health check run on each read (database, blob store, outbox, policy,
///   ledger writer), what a status page would cost if it asked the checks itself;
/// - `GET /v1/status`: the operator view, authenticated and authorized, read from the database on
///   every request (components, incidents, windows, readiness).
///
/// The board is seeded with incidents and windows first (`--incidents N`, default 5, each
/// with three updates), so the views are not empty. It prints p50/p99/max per row and
/// asserts nothing.
///
/// `swift run -c release PlatformBenchmarks status [--postgres] [--concurrency N] [--operations N] [--incidents N]`
enum StatusBenchmark {
    static func run(_ arguments: [String]) async throws {
        func value(_ flag: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: flag).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let concurrency = value("--concurrency", 2)
        let operations = value("--operations", 20_000)
        let incidents = value("--incidents", 5)
        let directory = try TemporaryDirectory(prefix: "platform-status-bench")
        defer { directory.remove() }
        let databaseURL = arguments.contains("--postgres") ? try await PostgresServer.shared.makeDatabase() : nil
        let port = freeLocalPort()
        var configuration = ServerConfiguration(
            dataDirectory: directory.path, listen: ListenAddress(host: "127.0.0.1", port: port), databaseURL: databaseURL,
            logLevel: .error, logFormat: .json)
        configuration.resourcesDirectory = FileManager.default.currentDirectoryPath
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let server = try await PlatformServer.bootstrap(configuration, logger: quiet)
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        let base = "http://127.0.0.1:\(port)"
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)))
        do {
            try await waitUntilServing(client, base)
            let key = try String(contentsOf: server.bootstrapKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            try await seed(client, base, key: key, incidents: incidents)
            print("status benchmark: \(databaseURL == nil ? "sqlite" : "postgres"), \(concurrency) concurrent clients, "
                  + "\(operations) requests per row, \(incidents) incidents on the board, loopback HTTP/1.1 keep-alive")
            print("command: swift run -c release PlatformBenchmarks \(arguments.dropFirst().joined(separator: " "))")
            print("")
            print(PlatformBenchmarks.Row.header)
            let rows: [(String, String, String?)] = [
                ("GET /livez (floor)", "/livez", nil),
                ("GET /status (public, cached)", "/status", nil),
                ("GET /readyz (checks every read)", "/readyz", nil),
                ("GET /v1/status (operator, uncached)", "/v1/status", key),
            ]
            var served: [(String, ServerSide)] = []
            for (name, path, bearer) in rows {
                // Warm the connections and the cache; the measured reads follow.
                _ = try await PlatformBenchmarks.measure(name, concurrency, concurrency * 50) { _ in
                    try await get(client, base + path, bearer: bearer)
                }
                let before = try await ServerSide.scrape(client, base, route: path)
                print(try await PlatformBenchmarks.measure(name, concurrency, operations) { _ in
                    try await get(client, base + path, bearer: bearer)
                })
                served.append((name, try await ServerSide.scrape(client, base, route: path).minus(before)))
            }
            print("")
            print("server side, from platformd's own http_request_duration_seconds buckets over the measured requests")
            print("(routing, handler and encoding, without the client and the loopback):")
            print("measurement                              p50 ≤ ms  p99 ≤ ms  share ≤ 2 ms")
            for (name, side) in served {
                print(name.padding(toLength: 40, withPad: " ", startingAt: 0)
                      + String(format: "%8.1f  %8.1f  %10.2f %%", side.bound(0.5) * 1000, side.bound(0.99) * 1000, side.share(within: 0.002) * 100))
            }
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// One GET that must answer 200 (or 503 for `/readyz`, whose report is still a read).
    static func get(_ client: HTTPClient, _ url: String, bearer: String?) async throws {
        var request = HTTPClientRequest(url: url)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 4 << 20)
        guard response.status == .ok || (url.hasSuffix("/readyz") && response.status == .serviceUnavailable) else {
            throw BenchmarkFailure("GET \(url) answered \(response.status)")
        }
    }

    static func waitUntilServing(_ client: HTTPClient, _ base: String) async throws {
        for _ in 0..<300 {
            if (try? await get(client, base + "/livez", bearer: nil)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkFailure("platformd did not answer /livez within 30 s")
    }

    /// Opens `incidents` incidents over the server's components, each with three updates, and
    /// schedules one maintenance window, through the API as an operator would.
    static func seed(_ client: HTTPClient, _ base: String, key: String, incidents: Int) async throws {
        func post(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
            var request = HTTPClientRequest(url: base + path)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
            let response = try await client.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 4 << 20)
            guard (200..<300).contains(response.status.code) else {
                throw BenchmarkFailure("POST \(path) answered \(response.status): \(String(buffer: bytes))")
            }
            return (try JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any]) ?? [:]
        }
        for index in 0..<incidents {
            let incident = try await post("/v1/status/incidents", [
                "title": "Benchmark incident \(index)", "impact": index % 2 == 0 ? "minor" : "major",
                "components": ["database"], "message": "Investigating elevated latency.",
            ])
            guard let id = incident["id"] as? String else { throw BenchmarkFailure("an incident without an id: \(incident)") }
            for step in ["identified", "monitoring"] {
                _ = try await post("/v1/status/incidents/\(id)/updates", ["state": step, "message": "Step \(step) of incident \(index)."])
            }
        }
        let start = Timestamp.now().millisecondsSinceEpoch + 3_600_000
        _ = try await post("/v1/status/maintenance", [
            "title": "Benchmark window", "components": ["database"],
            "startsAt": Timestamp(millisecondsSinceEpoch: start).rfc3339,
            "endsAt": Timestamp(millisecondsSinceEpoch: start + 3_600_000).rfc3339,
        ])
    }
}

/// One route's `http_request_duration_seconds` histogram as `/metrics` renders it: cumulative
/// counts per upper bound (seconds), for percentiles measured where the request is served.
struct ServerSide {
    var buckets: [(le: Double, count: Double)]

    static func scrape(_ client: HTTPClient, _ base: String, route: String) async throws -> ServerSide {
        let response = try await client.execute(HTTPClientRequest(url: base + "/metrics"), timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
        var buckets: [(le: Double, count: Double)] = []
        for line in text.split(separator: "\n") where line.hasPrefix("http_request_duration_seconds_bucket{")
            && line.contains("route=\"\(route)\"") && line.contains("method=\"GET\"") {
            guard let leStart = line.range(of: "le=\""), let leEnd = line[leStart.upperBound...].firstIndex(of: "\""),
                  let count = Double(line.split(separator: " ").last ?? "")
            else { continue }
            let le = String(line[leStart.upperBound..<leEnd])
            buckets.append((le == "+Inf" ? .infinity : Double(le) ?? .infinity, count))
        }
        return ServerSide(buckets: buckets.sorted { $0.le < $1.le })
    }

    /// The requests between `earlier` and this scrape.
    func minus(_ earlier: ServerSide) -> ServerSide {
        ServerSide(buckets: buckets.map { bucket in
            (bucket.le, bucket.count - (earlier.buckets.first { $0.le == bucket.le }?.count ?? 0))
        })
    }

    var total: Double { buckets.last?.count ?? 0 }

    /// The smallest bucket bound holding the `quantile` of the requests (seconds).
    func bound(_ quantile: Double) -> Double {
        buckets.first { total > 0 && $0.count >= quantile * total }?.le ?? .nan
    }

    /// The share of requests served within `seconds` (a bucket bound).
    func share(within seconds: Double) -> Double {
        guard total > 0 else { return .nan }
        return (buckets.last { $0.le <= seconds }?.count ?? 0) / total
    }
}

/// Why a benchmark run stopped.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

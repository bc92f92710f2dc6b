import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PlatformServer
import PlatformTestKit

/// Launch-to-ready latency on the local adapter (runc, with its network and user isolation)
/// for a bare manifest against one with every launch feature of issue 21 on, interleaved in
/// the same run on the same server, so the difference is what the features cost:
///
/// - bare: gpu-echo's command, its endpoints, a readiness probe;
/// - full: the same plus `args` and `env` (substituted from a parameter), a secret (file on
///   tmpfs and env), a persistent and a scratch volume, startup, readiness and liveness probes,
///   `restartPolicy`, `maxRuntimeMinutes`, CPU and memory limits and `diskMiB`.
///
/// It starts a platformd in this process (SQLite, a temporary data directory), publishes
/// `examples/gpu-echo` to staging with `examples/gpu-echo/publish.sh` and the built `appctl`,
/// registers both manifests over the same image, then launches each `--runs` times (bare
/// first on even runs, full first on odd ones; one instance at a time, each stopped before
/// the next), timing `POST …/instances` until `GET …/instances/ID` says `ready`, polled every
/// `--poll-ms`. One launch of each first warms the image cache and is not counted. Prints
/// p50/p95/max/mean per manifest and of the per-run difference; it asserts nothing.
///
/// `swift run -c release PlatformBenchmarks launch-features [--runs N] [--poll-ms MS] [--without secrets,volumes,…]`
/// Needs root, runc, umoci, bwrap, python3, curl, and appctl (`APPCTL`, else next to this
/// binary, else `.build/debug/appctl`). `--without` drops features that are not there yet.
enum LaunchFeaturesBenchmark {
    /// The features `--without` can drop from the full manifest.
    enum Feature: String, CaseIterable {
        case args, env, secrets, volumes, probes, restart, maxRuntime, limits, disk
    }

    static func run(_ arguments: [String]) async throws {
        func value(_ flag: String) -> String? {
            arguments.firstIndex(of: flag).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        }
        let runs = value("--runs").flatMap(Int.init) ?? 10
        let poll = value("--poll-ms").flatMap(Int.init) ?? 20
        let without = Set((value("--without") ?? "").split(separator: ",").compactMap { Feature(rawValue: String($0)) })
        let checkout = FileManager.default.currentDirectoryPath
        let appctl = try locateAppctl(checkout: checkout)

        let directory = try TemporaryDirectory(prefix: "platform-launch-bench")
        defer { directory.remove() }
        let port = freeLocalPort()
        var configuration = ServerConfiguration(
            dataDirectory: directory.appending("data").path, listen: ListenAddress(host: "127.0.0.1", port: port), databaseURL: nil,
            logLevel: .error, logFormat: .json)
        configuration.resourcesDirectory = checkout
        configuration.pollIntervalMilliseconds = poll
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let server = try await PlatformServer.bootstrap(configuration, logger: quiet)
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        let base = "http://127.0.0.1:\(port)"
        try await StatusBenchmark.waitUntilServing(HTTPClient.shared, base)
        let api = API(base: base, key: try String(contentsOf: server.bootstrapKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))

        let tenant = try await api.call(.POST, "/v1/tenants", ["name": "bench"])
        let project = try await api.call(.POST, "/v1/tenants/\(tenant["id"] as? String ?? "")/projects", ["name": "launch"])
        let projectID = try require(project["id"] as? String, "no project id in \(project)")
        try await publish(appctl: appctl, checkout: checkout, project: projectID, api: api, directory: directory)
        if !without.contains(.secrets) {
            _ = try await api.call(.PUT, "/v1/projects/\(projectID)/secrets/bench-token",
                                   ["valueBase64": Data("bench-secret-value".utf8).base64EncodedString(), "purpose": "app-runtime"])
        }
        for manifest in [bare, full(project: projectID.lowercased(), without: without)] {
            _ = try await api.call(.POST, "/v1/projects/\(projectID)/apps", ["manifest": manifest])
        }

        let features = Feature.allCases.filter { !without.contains($0) }.map(\.rawValue).joined(separator: ", ")
        print("launch-features benchmark: local adapter (runc), \(runs) runs of each manifest, interleaved, one instance at a time; "
              + "ready polled every \(poll) ms (the server's supervisor polls at the same interval)")
        print("full manifest adds: \(features)\(without.isEmpty ? "" : " (without \(without.map(\.rawValue).sorted().joined(separator: ", ")))")")
        print("command: swift run -c release PlatformBenchmarks \(arguments.dropFirst().joined(separator: " "))")
        for app in ["bench-bare", "bench-full"] {
            _ = try await launchUntilReady(api, project: projectID, app: app, poll: poll)
        }
        var samples: [String: [Double]] = ["bench-bare": [], "bench-full": []]
        var differences: [Double] = []
        for index in 0..<runs {
            var pair: [String: Double] = [:]
            for app in index.isMultiple(of: 2) ? ["bench-bare", "bench-full"] : ["bench-full", "bench-bare"] {
                pair[app] = try await launchUntilReady(api, project: projectID, app: app, poll: poll)
                samples[app, default: []].append(pair[app] ?? 0)
            }
            differences.append((pair["bench-full"] ?? 0) - (pair["bench-bare"] ?? 0))
        }
        print("")
        print("launch → ready (ms)                 runs    p50 ms    p95 ms    max ms   mean ms")
        print(row("bare manifest", samples["bench-bare"] ?? []))
        print(row("every feature on", samples["bench-full"] ?? []))
        print(row("difference (full − bare, per run)", differences))
    }

    /// Launches `app`, returns milliseconds from the request until the record says `ready`, then stops it and waits for `stopped`.
    static func launchUntilReady(_ api: API, project: String, app: String, poll: Int) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let launched = try await api.call(.POST, "/v1/projects/\(project)/instances",
                                          ["app": app, "adapter": "local", "environment": "staging"])
        let id = try require(launched["id"] as? String, "no instance id in \(launched)")
        var elapsed: Duration?
        while clock.now - start < .seconds(180) {
            let record = try await api.call(.GET, "/v1/projects/\(project)/instances/\(id)", nil)
            let phase = (record["phase"] as? [String: Any])?["name"] as? String ?? record["phase"] as? String ?? ""
            if phase == "ready" {
                elapsed = clock.now - start
                break
            }
            if ["failed", "stopped"].contains(phase) { throw BenchmarkFailure("\(app) instance \(id) ended \(phase) before ready: \(record)") }
            try await Task.sleep(for: .milliseconds(poll))
        }
        guard let elapsed else { throw BenchmarkFailure("\(app) instance \(id) was not ready within 180 s") }
        _ = try await api.call(.POST, "/v1/projects/\(project)/instances/\(id)/stop", [:])
        while clock.now - start < .seconds(300) {
            let record = try await api.call(.GET, "/v1/projects/\(project)/instances/\(id)", nil)
            let phase = (record["phase"] as? [String: Any])?["name"] as? String ?? record["phase"] as? String ?? ""
            if ["stopped", "failed"].contains(phase) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    static func row(_ name: String, _ values: [Double]) -> String {
        let sorted = values.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        let mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        return name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: "%6d", sorted.count)
            + [percentile(0.5), percentile(0.95), sorted.last ?? 0, mean].map { String(format: "%10.0f", $0) }.joined()
    }

    /// `examples/gpu-echo/publish.sh --to staging`, as a developer runs it.
    static func publish(appctl: String, checkout: String, project: String, api: API, directory: TemporaryDirectory) async throws {
        let home = directory.appending("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        // Through the test kit's spawn, which resets signal dispositions: this process ignores
        // SIGTERM (the server handles it), and an inherited SIG_IGN keeps publish.sh's smoke
        // sandbox from stopping.
        let environment = ["APPCTL": appctl, "APPCTL_SERVER": api.base, "APPCTL_TOKEN": api.key, "HOME": home.path,
                           "APPCTL_CONFIG": home.appendingPathComponent("appctl.yaml").path]
        let process = try ChildProcess("/bin/bash", [
            "\(checkout)/examples/gpu-echo/publish.sh", "--project", project, "--key", directory.appending("signing.pem").path, "--to", "staging",
        ], environment: environment, outputPath: directory.appending("publish.log").path)
        guard await process.wait(timeout: .seconds(300)) == 0 else {
            throw BenchmarkFailure("publish.sh failed:\n\(process.output)")
        }
    }

    static func locateAppctl(checkout: String) throws -> String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("appctl").path
        let candidates = [ProcessInfo.processInfo.environment["APPCTL"], beside, "\(checkout)/.build/debug/appctl"].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BenchmarkFailure("no appctl (tried \(candidates)); build it (swift build --product appctl) or set APPCTL")
        }
        return found
    }

    static func require<T>(_ value: T?, _ message: @autoclosure () -> String) throws -> T {
        guard let value else { throw BenchmarkFailure(message()) }
        return value
    }

    /// The platform's `/v1` as the benchmark calls it: the admin key, JSON in and out.
    struct API {
        let base: String
        let key: String

        func call(_ method: HTTPMethod, _ path: String, _ body: [String: Any]?) async throws -> [String: Any] {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
            }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let data = Data(try await response.body.collect(upTo: 1 << 22).readableBytesView)
            guard (200..<300).contains(response.status.code) else {
                throw BenchmarkFailure("\(method) \(path): \(response.status.code) \(String(decoding: data, as: UTF8.self))")
            }
            return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
        }
    }
}

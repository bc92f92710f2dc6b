import AsyncHTTPClient
import AuditService
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit

/// The web console's page render time (issue 23: under 50 ms server-side with 1,000 instances
/// and 10,000 audit records) against its peer, the `/v1` JSON answer the page is built from,
/// on one live `platformd` over loopback HTTP/1.1 keep-alive, one request at a time:
///
/// - `GET /livez`: the floor (routing and one round trip, no work);
/// - a project's instances as `/v1` JSON, whole and as one page (`?limit=50`, the peer of
///   the pages), and as the console pages that show one page of them: the project's
///   (`/console/projects/P/instances`: the same `/v1` route in process, then Mustache), the
///   all-projects one, the operator's all-tenants one, the project's usage page (one
///   usage call per instance of that page) and the quotas page (current use: `?state=live`);
/// - the audit records as `/v1` JSON, and as `/console/admin/audit` with the same query.
///
/// The project holds `--instances` instances (default 1,000; rows written into the store in
/// terminal phases so no supervisor acts on them) and the log `--audit` records (default
/// 10,000, appended through the audit log, so the chain is real). The console is signed in with
/// the bootstrap admin key through its sign-in form. Each figure is the client's wall time per
/// request, so it includes the loopback round trip (the floor row). Prints p50/p95/max and the
/// answer's size; it asserts nothing. A page that is not built answers its status instead.
///
/// `swift run -c release PlatformBenchmarks console [--postgres] [--instances N] [--audit N] [--iterations N]`
enum ConsoleRenderBenchmark {
    static func run(_ arguments: [String]) async throws {
        func value(_ flag: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: flag).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let (instances, auditRecords, iterations) = (value("--instances", 1000), value("--audit", 10_000), value("--iterations", 200))
        let directory = try TemporaryDirectory(prefix: "platform-console-bench")
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
            redirectConfiguration: .disallow, connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1)))
        do {
            try await StatusBenchmark.waitUntilServing(client, base)
            let key = try String(contentsOf: server.bootstrapKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let seedStart = ContinuousClock.now
            let project = try await seed(client, base, server: server, key: key, instances: instances, auditRecords: auditRecords)
            let cookie = try await signIn(client, base, key: key)
            #if DEBUG
            let build = "debug"
            #else
            let build = "release"
            #endif
            print("console render benchmark (\(build)): \(databaseURL == nil ? "sqlite" : "postgres"), \(instances) instances in one project, "
                  + "\(auditRecords) audit records, \(iterations) sequential requests per row, loopback HTTP/1.1 keep-alive "
                  + "(seeded in \(String(format: "%.1f", seconds(ContinuousClock.now - seedStart))) s)")
            print("command: swift run -c \(build) PlatformBenchmarks \(arguments.dropFirst().joined(separator: " "))")
            print("")
            print("measurement                                           p50 ms    p95 ms    max ms    bytes  status")
            let audit = "limit=100&order=newest"
            let rows: [(String, String, Credential)] = [
                ("GET /livez (floor)", "/livez", .none),
                ("instances  /v1 JSON, all of them", "/v1/projects/\(project)/instances", .bearer(key)),
                ("instances  /v1 JSON, limit=50 (peer)", "/v1/projects/\(project)/instances?limit=50", .bearer(key)),
                ("instances  console page (newest 50)", "/console/projects/\(project)/instances", .cookie(cookie)),
                ("instances  console page, all projects", "/console/instances", .cookie(cookie)),
                ("instances  console operator page", "/console/platform/instances", .cookie(cookie)),
                ("usage      console project page", "/console/projects/\(project)/usage", .cookie(cookie)),
                ("quotas     console admin page (current use)", "/console/admin/quotas", .cookie(cookie)),
                ("audit 100  /v1 JSON (peer)", "/v1/audit/records?\(audit)", .bearer(key)),
                ("audit 100  console page", "/console/admin/audit?\(audit)", .cookie(cookie)),
                ("audit 1000 /v1 JSON (the API's largest page)", "/v1/audit/records?limit=1000&order=newest", .bearer(key)),
            ]
            for (name, path, credential) in rows {
                print(try await measure(client, base + path, name: name, credential: credential, iterations: iterations))
            }
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    enum Credential {
        case none
        case bearer(String)
        case cookie(String)
    }

    /// Times `iterations` GETs of `url` after a warm-up of ten; a non-200 answer ends the row with its status.
    static func measure(_ client: HTTPClient, _ url: String, name: String, credential: Credential, iterations: Int) async throws -> String {
        let clock = ContinuousClock()
        var samples: [Double] = []
        var bytes = 0
        for index in -10..<iterations {
            var request = HTTPClientRequest(url: url)
            switch credential {
            case .none: break
            case .bearer(let key): request.headers.add(name: "Authorization", value: "Bearer \(key)")
            case .cookie(let cookie): request.headers.add(name: "Cookie", value: "platform_console=\(cookie)")
            }
            let start = clock.now
            let response = try await client.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 256 << 20)
            let elapsed = clock.now - start
            guard response.status == .ok else {
                return name.padding(toLength: 50, withPad: " ", startingAt: 0) + "         -         -         -        -  \(response.status.code) (not measured)"
            }
            bytes = body.readableBytes
            if index >= 0 { samples.append(seconds(elapsed) * 1000) }
        }
        samples.sort()
        func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
        return name.padding(toLength: 50, withPad: " ", startingAt: 0)
            + String(format: "%10.2f%10.2f%10.2f%9d  200", percentile(0.5), percentile(0.95), samples.last ?? 0, bytes)
    }

    /// A tenant and project (through the API), `instances` instance rows in it and `auditRecords`
    /// records appended to the audit log. Returns the project's id.
    static func seed(_ client: HTTPClient, _ base: String, server: PlatformServer, key: String, instances: Int, auditRecords: Int) async throws -> String {
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
        guard let tenant = try await post("/v1/tenants", ["name": "bench"])["id"] as? String,
              let project = try await post("/v1/tenants/\(tenant)/projects", ["name": "render"])["id"] as? String
        else { throw BenchmarkFailure("the tenant or project came back without an id") }

        try await InstanceRowSeed.write(instances, project: project, tenant: tenant, store: server.store)
        let actions = ["apps.instance.launch", "apps.instance.stop", "iam.key.create", "iam.access.denied"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in stride(from: worker, to: auditRecords, by: 8) {
                        try await server.audit.record(AuditEvent(
                            actor: PrincipalID("bench-\(index % 13)"), action: actions[index % actions.count],
                            target: "bench/instance-\(index % max(instances, 1))",
                            outcome: index % 5 == 0 ? .denied : .success, requestID: "bench-\(index)",
                            details: ["index": "\(index)"], tenant: tenant, project: project))
                    }
                }
            }
            try await group.waitForAll()
        }
        return project
    }

    /// Signs in through the console's form (double-submit token, then the key) and returns the session cookie's value.
    static func signIn(_ client: HTTPClient, _ base: String, key: String) async throws -> String {
        let form = try await client.execute(HTTPClientRequest(url: base + "/console/sign-in"), timeout: .seconds(30))
        _ = try await form.body.collect(upTo: 1 << 20)
        func cookie(_ name: String, _ headers: [String]) -> String? {
            headers.lazy.filter { $0.hasPrefix("\(name)=") }.map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }.first
        }
        guard let token = cookie("platform_console_signin", form.headers["Set-Cookie"]) else {
            throw BenchmarkFailure("the sign-in form set no token (\(form.status))")
        }
        var request = HTTPClientRequest(url: base + "/console/sign-in")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Cookie", value: "platform_console_signin=\(token)")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encodedKey = key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
        request.body = .bytes(ByteBuffer(string: "csrf=\(token)&key=\(encodedKey)&next=%2Fconsole%2F"))
        let answer = try await client.execute(request, timeout: .seconds(30))
        _ = try await answer.body.collect(upTo: 1 << 20)
        guard answer.status == .seeOther, let session = cookie("platform_console", answer.headers["Set-Cookie"]), !session.isEmpty else {
            throw BenchmarkFailure("console sign-in answered \(answer.status)")
        }
        return session
    }
}

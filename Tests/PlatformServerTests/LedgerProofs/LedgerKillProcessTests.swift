import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import PlatformAPI
import PlatformContracts
import PlatformTestKit
import Synchronization
import Testing

/// Issue 19's crash proof on a real `platformd`: a product streams `inference.token` batches
/// through `POST /v1/usage/events` (fresh ones and re-sends) while the rating worker rates
/// them, and the server is killed with SIGKILL mid-stream, three times. After each restart the
/// producer re-sends what got no answer, as its contract says. Then: every acknowledged batch
/// is durable (re-sending it is all `duplicate`), every unanswered one was stored all or
/// nothing, `GET /v1/ledger/verify` passes, every event is charged exactly once, and the
/// tenant's receivable equals the model's total (2 µ$ per token at the registry's price).
@Suite("Ledger survives kill -9 of platformd mid-rating", .serialized, .tags(.integration))
struct LedgerKillProcessTests {
    static let rounds = 3
    static let batchesPerRound = 40
    static let batchSize = 100

    @Test("kill -9 while ingesting and rating: nothing lost, nothing billed twice, verify passes", arguments: ServerBackend.enabled)
    func killNineMidRatingLosesNothingAndBillsNothingTwice(_ backend: ServerBackend) async throws {
        let url = try await backend.databaseURL()
        let seed = ProcessInfo.processInfo.environment["LEDGER_KILL_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("ledger kill -9: seed \(seed) on \(backend.rawValue) (replay: LEDGER_KILL_SEED=\(seed))")
        try await withTemporaryDirectory { directory async throws in
            var daemon = try await Self.start(directory, databaseURL: url, round: 0)
            do {
                let (tenant, project) = try await Self.makeProject(daemon)
                var rng = SplitMix64(seed: seed)
                var all: [UsageEventBatch] = []
                var acknowledged: [UsageEventBatch] = []
                var nextId = 0
                for round in 1...Self.rounds {
                    // This round's stream: fresh batches, with earlier ones re-sent among them.
                    var stream: [UsageEventBatch] = []
                    for _ in 0..<Self.batchesPerRound {
                        if !all.isEmpty, rng.below(5) == 0 {
                            stream.append(all[Int(rng.below(UInt64(all.count)))])
                            continue
                        }
                        let events = (0..<Self.batchSize).map { _ -> UsageEventInput in
                            nextId += 1
                            return UsageEventInput(id: "req-\(nextId)", unit: "inference.token", quantity: Int64(rng.below(20_000)) + 1,
                                                   project: project, app: "chat", occurredAt: .now())
                        }
                        let batch = UsageEventBatch(source: "token-factory", events: events)
                        all.append(batch)
                        stream.append(batch)
                    }
                    let killAfter = Duration.milliseconds(Int64(rng.below(1500)) + 200)
                    let sent = try await Self.stream(stream, to: daemon, killAfter: killAfter)
                    acknowledged += sent.acknowledged
                    let exited = await daemon.process.wait(timeout: .seconds(10))
                    #expect(exited != nil, "platformd survived SIGKILL")
                    daemon = try await Self.start(directory, databaseURL: url, round: round)
                    // The producer re-sends what got no answer: each was stored whole or not at all.
                    for batch in sent.unanswered {
                        let outcomes = try await Self.ingest(batch, daemon).results.map(\.outcome)
                        #expect(Set(outcomes).count == 1, "a batch cut by SIGKILL was stored in part: \(Set(outcomes)); seed \(seed)")
                    }
                }
                // Every acknowledged batch survived; every batch ever generated is stored now.
                for batch in acknowledged {
                    let outcomes = try await Self.ingest(batch, daemon).results.map(\.outcome)
                    #expect(outcomes.allSatisfy { $0 == .duplicate }, "an acknowledged batch was lost; seed \(seed)")
                }
                for batch in all { _ = try await Self.ingest(batch, daemon) }

                let events = all.reduce(0) { $0 + $1.events.count }
                let tokens = all.reduce(Int64(0)) { $0 + $1.events.reduce(Int64(0)) { $0 + $1.quantity } }
                let verification = try await Self.eventually(seconds: 120) { () -> LedgerVerification? in
                    let verification = try await Self.get(LedgerVerification.self, "/v1/ledger/verify", daemon)
                    return verification.charges == Int64(events) ? verification : nil
                }
                let verified = try #require(verification, "the rating queue did not drain; seed \(seed)")
                #expect(verified.passed, "\(verified.checks.filter { !$0.passed }); seed \(seed)")
                #expect(verified.charges == Int64(events) && verified.entries == Int64(events), "seed \(seed)")
                let balance = try await Self.eventually(seconds: 60) { () -> BalanceReport? in
                    let report = try await Self.get(BalanceReport.self, "/v1/billing/balance?tenant=\(tenant)", daemon)
                    return report.throughSeq == verified.entries ? report : nil
                }
                let report = try #require(balance, "the balance rollup did not catch up; seed \(seed)")
                #expect(report.available.amount == -2 * tokens, "receivable \(report.available.amount) for \(tokens) tokens; seed \(seed)")
                #expect(try await Self.get(LedgerVerification.self, "/v1/ledger/verify", daemon).passed, "seed \(seed)")
                print("ledger kill -9: \(events) events, \(tokens) tokens, \(Self.rounds) SIGKILLs, \(acknowledged.count) batches acknowledged before a kill")
                daemon.process.signal(SIGKILL)
            } catch {
                daemon.process.signal(SIGKILL)
                throw error
            }
        }
    }

    /// Sends `stream` from two concurrent producers and SIGKILLs the server after `killAfter`.
    static func stream(_ stream: [UsageEventBatch], to daemon: RegistryProcessTests.Daemon, killAfter: Duration) async throws
        -> (acknowledged: [UsageEventBatch], unanswered: [UsageEventBatch])
    {
        let state = StreamState()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    while true {
                        let index = state.next.withLock { value -> Int in defer { value += 1 }; return value }
                        // After the kill nothing new is sent: the client would only retry its connection until the deadline.
                        guard index < stream.count, !state.killed.load(ordering: .relaxed) else { return }
                        do {
                            _ = try await ingest(stream[index], daemon)
                            state.results.withLock { $0.acknowledged.append(stream[index]) }
                        } catch {
                            state.results.withLock { $0.unanswered.append(stream[index]) }
                        }
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: killAfter)
                daemon.process.signal(SIGKILL)
                state.killed.store(true, ordering: .relaxed)
            }
        }
        return state.results.withLock { $0 }
    }

    /// The producers' shared cursor and what became of each batch.
    final class StreamState: Sendable {
        let next = Mutex(0)
        let killed = Atomic<Bool>(false)
        let results = Mutex<(acknowledged: [UsageEventBatch], unanswered: [UsageEventBatch])>(([], []))
    }

    static func ingest(_ batch: UsageEventBatch, _ daemon: RegistryProcessTests.Daemon) async throws -> UsageIngestReport {
        // Its own short deadline: a request cut by SIGKILL must fail fast, not wait out a long timeout.
        var request = HTTPClientRequest(url: daemon.base + "/v1/usage/events")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(daemon.key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(batch)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let status = response.status.code
        let data = Data(try await response.body.collect(upTo: 16 << 20).readableBytesView)
        guard status == 200 else { throw PlatformError(.internalError, "ingest answered \(status): \(String(decoding: data, as: UTF8.self))") }
        return try JSONDecoder().decode(UsageIngestReport.self, from: data)
    }

    static func get<T: Decodable>(_ type: T.Type, _ path: String, _ daemon: RegistryProcessTests.Daemon) async throws -> T {
        let (status, _, data) = try await daemon.call(.GET, path)
        guard status == 200 else { throw PlatformError(.internalError, "\(path) answered \(status): \(String(decoding: data, as: UTF8.self))") }
        return try JSONDecoder().decode(T.self, from: data)
    }

    static func eventually<T: Sendable>(seconds: Int, _ read: () async throws -> T?) async throws -> T? {
        for _ in 0..<(seconds * 5) {
            if let value = try await read() { return value }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    static func makeProject(_ daemon: RegistryProcessTests.Daemon) async throws -> (tenant: String, project: String) {
        let tenant = try JSONDecoder().decode(Tenant.self, from: try await daemon.call(.POST, "/v1/tenants", body: Data(#"{"name":"acme"}"#.utf8)).2)
        let project = try JSONDecoder().decode(Project.self, from: try await daemon.call(
            .POST, "/v1/tenants/\(tenant.id)/projects", body: Data(#"{"name":"chat"}"#.utf8)).2)
        return (tenant.id, project.id)
    }

    /// platformd on `directory`'s data (and `databaseURL`), rating every 100 ms when idle and
    /// folding balances every 200 ms.
    static func start(_ directory: TemporaryDirectory, databaseURL: String?, round: Int) async throws -> RegistryProcessTests.Daemon {
        let port = freeLocalPort()
        var arguments = ["serve", "--data-dir", directory.appending("data").path, "--rating-interval", "100", "--balance-rollup-interval", "200"]
        if let databaseURL { arguments += ["--database-url", databaseURL] }
        let process = try ChildProcess(ProcessLifecycleTests.binary, arguments, environment: ["PLATFORMD_LISTEN": "127.0.0.1:\(port)"],
                                       outputPath: directory.appending("platformd-\(round).log").path)
        let base = "http://127.0.0.1:\(port)"
        try await ProcessLifecycleTests().waitUntilLive(base, process: process)
        let key = try String(contentsOf: directory.appending("data/bootstrap-admin.key"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return RegistryProcessTests.Daemon(process: process, base: base, port: port, key: key)
    }
}

import Foundation
import Logging
import PlatformStore
import PlatformTestKit
import PostgresKit
import ServiceLifecycle
import Synchronization
import Testing

/// Work that must not run twice, on two replicas of one PostgreSQL database: one runs it at a
/// time; when the holder stops, or its lock connection is killed under it, the other takes it
/// over within its retry interval, and the old holder's work has stopped first.
@Suite("Singleton leases across replicas", .tags(.integration, .timing))
struct SingletonLeaseTests {
    /// Work that counts how many copies run at once.
    struct Work: Service {
        let replica: String
        let ledger: Ledger
        func run() async throws {
            ledger.started(replica)
            defer { ledger.stopped(replica) }
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
            }
        }
    }

    final class Ledger: Sendable {
        private struct State { var running: Set<String> = []; var mostAtOnce = 0; var starts: [String] = [] }
        private let state = Mutex(State())
        func started(_ replica: String) {
            state.withLock { $0.running.insert(replica); $0.mostAtOnce = max($0.mostAtOnce, $0.running.count); $0.starts.append(replica) }
        }
        func stopped(_ replica: String) { _ = state.withLock { $0.running.remove(replica) } }
        var running: Set<String> { state.withLock { $0.running } }
        var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }
        var starts: [String] { state.withLock { $0.starts } }
    }

    @Test("one of two replicas runs the work; a stopped holder and a holder whose lock connection is killed both hand it over within the retry interval, never two at once",
          .enabled(if: PostgresServer.isEnabled))
    func onlyOneReplicaRunsTheWork() async throws {
        let logger = Logger(label: "lease") { _ in SwiftLogNoOpLogHandler() }
        let location = try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())
        let storeA = try await SQLStore.open(location, maxConnections: 2, logger: logger)
        let storeB = try await SQLStore.open(location, maxConnections: 2, logger: logger)
        let ledger = Ledger()
        let name = "test-work-\(UUID().uuidString)"
        let lease: @Sendable (String, SQLStore) -> SingletonLease = { replica, store in
            SingletonLease(name, store: store, running: Work(replica: replica, ledger: ledger), retry: .milliseconds(200),
                           check: .milliseconds(100), logger: logger)
        }
        let a = Task { try await lease("a", storeA).run() }
        try await waitUntil("a holds the lease") { ledger.running == ["a"] }
        let b = Task { try await lease("b", storeB).run() }
        try await Task.sleep(for: .milliseconds(600))
        #expect(ledger.running == ["a"], "b waits while a holds the lease")

        // The holder stops: b takes over.
        let stoppedAt = ContinuousClock.now
        a.cancel()
        _ = try? await a.value
        try await waitUntil("b takes over") { ledger.running == ["b"] }
        let takeover = ContinuousClock.now - stoppedAt
        print("figure: singleton lease taken over \(takeover) after its holder stopped (retry 200 ms)")
        #expect(takeover < .seconds(2))

        // A new a waits; then b's lock connection is killed under it (as if its replica died
        // or its network went): b's work stops and a takes the lease.
        let a2 = Task { try await lease("a", storeA).run() }
        try await Task.sleep(for: .milliseconds(400))
        #expect(ledger.running == ["b"])
        let killedAt = ContinuousClock.now
        try await storeA.read { db in
            try await db.raw("""
                SELECT pg_terminate_backend(pid) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """).run()
        }
        try await waitUntil("a takes over from b") { ledger.running == ["a"] }
        print("figure: singleton lease moved \(ContinuousClock.now - killedAt) after its holder's connection was killed (check 100 ms, retry 200 ms)")
        #expect(ledger.mostAtOnce == 1, "never two copies at once")
        #expect(ledger.starts == ["a", "b", "a"])
        a2.cancel()
        b.cancel()
        _ = try? await a2.value
        _ = try? await b.value
        await storeA.shutdown()
        await storeB.shutdown()
    }

    @Test("on SQLite the work simply runs")
    func sqliteRunsTheWork() async throws {
        let logger = Logger(label: "lease") { _ in SwiftLogNoOpLogHandler() }
        try await withTemporaryDirectory { directory async throws in
            let store = try await SQLStore.open(.sqlite(path: directory.appending("p.db").path), logger: logger)
            let ledger = Ledger()
            let task = Task { try await SingletonLease("w", store: store, running: Work(replica: "only", ledger: ledger), logger: logger).run() }
            try await waitUntil("the work runs") { ledger.running == ["only"] }
            task.cancel()
            _ = try? await task.value
            #expect(ledger.running.isEmpty)
            await store.shutdown()
        }
    }
}

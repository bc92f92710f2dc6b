import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Synchronization
import Testing

/// Shutting a store down while a query holds a connection: the shutdown waits for it (a
/// connection handed back to a pool that is already shut down is dropped before its close
/// finishes, which SQLiteNIO asserts against), and nothing starts after shutdown has begun.
@Suite("Store shutdown with a connection lent")
struct StoreShutdownTests {
    @Test("shutdown waits for the lent connection; the query finishes; later work is store.unavailable", arguments: Backend.enabled)
    func shutdownWaitsForLentConnections(backend: Backend) async throws {
        let directory = try TemporaryDirectory(prefix: "store-shutdown")
        defer { directory.remove() }
        let store = try await SQLStore.open(try await backend.makeLocation(in: directory), logger: testLogger)
        let order = Mutex<[String]>([])
        let started = Mutex(false)
        let query = Task {
            try await store.read { db in
                started.withLock { $0 = true }
                try await Task.sleep(for: .milliseconds(300))
                let rows = try await db.raw("SELECT 1 AS one").all()
                order.withLock { $0.append("query done") }
                return rows.count
            }
        }
        while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        await store.shutdown()
        order.withLock { $0.append("shutdown done") }
        #expect(try await query.value == 1)
        #expect(order.withLock { $0 } == ["query done", "shutdown done"])
        let error = await #expect(throws: PlatformError.self) { try await store.ping() }
        #expect(error?.code == .storeUnavailable)
    }
}

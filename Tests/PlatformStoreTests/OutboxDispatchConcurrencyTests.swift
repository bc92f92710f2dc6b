import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// Head-of-line blocking: the bench (scripts/bench-notifications.sh --down-endpoints 1) showed
/// one unreachable webhook endpoint delaying every other notification by its connect timeout
/// per attempt, serially (p50 131 s for 50 events). A batch is delivered concurrently.
@Suite("Outbox dispatch concurrency")
struct OutboxDispatchConcurrencyTests {
    /// Holds intents whose payload is `"stuck"` until released; records the others at once.
    actor GatedConsumer: OutboxConsumer {
        private(set) var delivered: [String] = []
        private var gate: CheckedContinuation<Void, Never>?
        private var released = false

        func deliver(_ intent: OutboxIntent) async throws {
            if intent.payload.contains("stuck"), !released {
                await withCheckedContinuation { gate = $0 }
            }
            delivered.append(intent.payload)
        }

        func release() {
            released = true
            gate?.resume()
            gate = nil
        }
    }

    @Test("an intent whose receiver hangs does not hold back the others claimed with it", arguments: Backend.enabled)
    func slowReceiverDoesNotBlockTheBatch(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock in
            let writer = OutboxWriter(clock: clock)
            // The stuck intent is older, so a dispatcher delivering in order would reach it first.
            try await store.transaction { db in try await writer.enqueue(topic: "t", json: #""stuck""#, in: db) }
            await clock.advance(by: .milliseconds(5))
            try await store.transaction { db in try await writer.enqueue(topic: "t", json: #""quick""#, in: db) }
            let consumer = GatedConsumer()
            let dispatcher = OutboxDispatcher(store: store, consumers: ["t": consumer], clock: clock, logger: testLogger)
            let batch = Task { try await dispatcher.dispatchDue() }
            var quick = false
            for _ in 0..<500 where !quick {
                quick = await consumer.delivered == [#""quick""#]
                if !quick { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(quick, "the quick intent waited for the stuck one")
            await consumer.release()
            #expect(try await batch.value == 2)
            #expect(Set(await consumer.delivered) == [#""stuck""#, #""quick""#])
        }
    }

    @Test("the running dispatcher delivers intents written after a hung one while it still hangs", arguments: Backend.enabled)
    func runningDispatcherIsNotHeldByAHungDelivery(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock in
            let writer = OutboxWriter(clock: clock)
            try await store.transaction { db in try await writer.enqueue(topic: "t", json: #""stuck""#, in: db) }
            let consumer = GatedConsumer()
            let dispatcher = OutboxDispatcher(store: store, consumers: ["t": consumer], clock: clock, logger: testLogger)
            let running = Task { try await dispatcher.run() }
            // The stuck delivery is claimed and in flight; a batch-at-a-time loop would now wait for it.
            var claimed = false
            for _ in 0..<500 where !claimed {
                claimed = try await OutboxDispatcherProbe.claimedCount(store) == 1
                if !claimed { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(claimed)
            try await store.transaction { db in try await writer.enqueue(topic: "t", json: #""later""#, in: db) }
            var later = false
            for _ in 0..<500 where !later {
                await clock.advance(by: .seconds(1))  // the idle loop's poll tick
                later = await consumer.delivered == [#""later""#]
                if !later { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(later, "an intent written after the hung one waited for it")
            await consumer.release()
            // Stopped and awaited before the store closes under it.
            running.cancel()
            try await running.value
        }
    }
}

/// Reads the claim state straight from the table.
enum OutboxDispatcherProbe {
    static func claimedCount(_ store: SQLStore) async throws -> Int {
        try await store.read { db in
            try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox_intents WHERE claim_owner IS NOT NULL AND state = 'pending'")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}

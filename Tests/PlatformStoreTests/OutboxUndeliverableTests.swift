import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import Testing

/// A consumer that knows no retry can help (a relay's 5xx) throws `OutboxUndeliverable`: the
/// intent is dead-lettered on that attempt, not after the remaining attempts of backoff.
@Suite("Outbox: undeliverable intents")
struct OutboxUndeliverableTests {
    struct Refusing: OutboxConsumer {
        func deliver(_ intent: OutboxIntent) async throws { throw OutboxUndeliverable("550 no such user") }
    }

    @Test("an undeliverable intent is dead after one attempt with its reason, and retry puts it back", arguments: Backend.enabled)
    func undeliverableIntentIsDeadAtOnce(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock async throws in
            let id = try #require(try await store.transaction { db in
                try await OutboxWriter(clock: clock).enqueue(topic: "t", payload: OutboxTestEvent(instance: "i1"), in: db)
            })
            let dispatcher = OutboxDispatcher(store: store, consumers: ["t": Refusing()], clock: clock,
                                              backoff: OutboxBackoff(maxAttempts: 8), random: { 0 }, logger: testLogger)
            #expect(try await dispatcher.dispatchDue() == 1)
            let row = try #require(try await OutboxRow.read(id, from: store))
            #expect(row.state == "dead" && row.attempts == 1 && row.lastError == "550 no such user")
            #expect(try await dispatcher.counts().dead == 1)
            #expect(try await dispatcher.retry(deadLetter: id))
            #expect(try await OutboxRow.read(id, from: store)?.state == "pending")
        }
    }
}

import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// The transactional outbox on both databases: intents commit with their state change, are
/// delivered at least once (exactly once in the happy path), retried with growing backoff,
/// dead-lettered, retried by hand, and re-claimed after a dispatcher's lease expires.
/// Time is a ``ManualClock``; nothing here sleeps on the wall clock or asserts a duration.
@Suite("Transactional outbox")
struct OutboxTests {
    static let topic = "instance.failed"

    static func dispatcher(
        _ store: SQLStore, _ clock: ManualClock, _ consumer: RecordingConsumer, owner: String = "d1",
        maxAttempts: Int = 8, batchSize: Int = 32
    ) -> OutboxDispatcher {
        OutboxDispatcher(
            store: store, consumers: [topic: consumer], owner: owner, clock: clock,
            backoff: OutboxBackoff(base: .seconds(1), cap: .seconds(600), maxAttempts: maxAttempts),
            claimDuration: .seconds(60), batchSize: batchSize, random: { 0.5 }, logger: testLogger
        )
    }

    @Test("a rolled-back state change leaves no intent", arguments: Backend.enabled)
    func rolledBackTransactionLeavesNoIntent(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock async throws in
            let writer = OutboxWriter(clock: clock)
            await #expect(throws: OutboxTestError.self) {
                try await store.transaction { db in
                    try await writer.enqueue(topic: Self.topic, payload: OutboxTestEvent(instance: "i1"), in: db)
                    throw OutboxTestError.rollback
                }
            }
            let consumer = RecordingConsumer()
            #expect(try await Self.dispatcher(store, clock, consumer).dispatchDue() == 0)
            #expect(try await Self.dispatcher(store, clock, consumer).counts().pending == 0)
            #expect(await consumer.calls == 0)
        }
    }

    @Test("a committed intent is delivered once, with its payload, and counted until then", arguments: Backend.enabled)
    func committedIntentIsDeliveredOnce(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock async throws in
            let id = try #require(try await store.transaction { db in
                try await OutboxWriter(clock: clock).enqueue(topic: Self.topic, payload: OutboxTestEvent(instance: "i1"), in: db)
            })
            let consumer = RecordingConsumer()
            let dispatcher = Self.dispatcher(store, clock, consumer)
            await clock.advance(by: .seconds(5))
            let before = try await dispatcher.counts()
            #expect(before.pending == 1)
            #expect(before.oldestPendingAge == .seconds(5))
            #expect(try await dispatcher.dispatchDue() == 1)
            #expect(try await dispatcher.dispatchDue() == 0)
            #expect(await consumer.delivered == [id])
            #expect(await consumer.payloads == [#"{"instance":"i1"}"#])
            #expect(try await OutboxRow.read(id, from: store)?.state == OutboxState.delivered.rawValue)
            let after = try await dispatcher.counts()
            #expect(after == OutboxCounts(pending: 0, oldestPendingAge: nil, failures: 0, dead: 0))
        }
    }

    @Test("a receiver down for 3 attempts gets the intent on the 4th, after growing backoff", arguments: Backend.enabled)
    func consumerFailingThreeTimesGetsItOnTheFourthAttempt(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock async throws in
            let id = try #require(try await store.transaction { db in
                try await OutboxWriter(clock: clock).enqueue(topic: Self.topic, json: #"{"instance":"i1"}"#, in: db)
            })
            let consumer = RecordingConsumer(failures: 3)
            let dispatcher = Self.dispatcher(store, clock, consumer)
            var delays: [Int64] = []
            for attempt in 1...3 {
                #expect(try await dispatcher.dispatchDue() == 1)
                let row = try #require(try await OutboxRow.read(id, from: store))
                #expect(row.state == OutboxState.pending.rawValue)
                #expect(row.attempts == Int64(attempt))
                #expect(row.lastError?.contains("receiverDown") == true)
                let delay = row.availableAt - clock.nowMilliseconds()
                delays.append(delay)
                // Not due before its backoff has passed.
                await clock.advance(by: .milliseconds(delay - 1))
                #expect(try await dispatcher.dispatchDue() == 0)
                await clock.advance(by: .milliseconds(1))
            }
            #expect(delays == delays.sorted() && Set(delays).count == 3, "backoff grows: \(delays)")
            #expect(try await dispatcher.counts().failures == 3)
            #expect(try await dispatcher.dispatchDue() == 1)
            #expect(await consumer.calls == 4)
            #expect(await consumer.delivered == [id])
            #expect(try await OutboxRow.read(id, from: store)?.state == OutboxState.delivered.rawValue)
        }
    }

    @Test("an always-failing intent is dead after max attempts, and retry delivers it", arguments: Backend.enabled)
    func alwaysFailingIntentIsDeadLetteredThenRetried(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock async throws in
            let id = try #require(try await store.transaction { db in
                try await OutboxWriter(clock: clock).enqueue(topic: Self.topic, json: "{}", in: db)
            })
            let consumer = RecordingConsumer(failures: .max)
            let dispatcher = Self.dispatcher(store, clock, consumer, maxAttempts: 4)
            #expect(try await dispatcher.retry(deadLetter: id) == false)
            for _ in 1...4 {
                #expect(try await dispatcher.dispatchDue() == 1)
                await clock.advance(by: .seconds(600))
            }
            #expect(try await dispatcher.dispatchDue() == 0)
            let dead = try #require(try await OutboxRow.read(id, from: store))
            #expect(dead.state == OutboxState.dead.rawValue)
            #expect(dead.attempts == 4)
            let counts = try await dispatcher.counts()
            #expect(counts.dead == 1 && counts.pending == 0 && counts.failures == 4)

            await consumer.setFailures(0)
            #expect(try await dispatcher.retry(deadLetter: id) == true)
            #expect(try await dispatcher.dispatchDue() == 1)
            #expect(await consumer.delivered == [id])
            #expect(try await OutboxRow.read(id, from: store)?.state == OutboxState.delivered.rawValue)
        }
    }

    @Test("two dispatchers racing on one table deliver each intent exactly once", arguments: Backend.enabled)
    func racingDispatchersDeliverEachIntentOnce(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock async throws in
            let writer = OutboxWriter(clock: clock)
            var ids: [ULID] = []
            for index in 0..<40 {
                ids.append(try #require(try await store.transaction { db in
                    try await writer.enqueue(topic: Self.topic, payload: OutboxTestEvent(instance: "i\(index)"), in: db)
                }))
            }
            let consumer = RecordingConsumer()
            let racers = [
                Self.dispatcher(store, clock, consumer, owner: "a", batchSize: 3),
                Self.dispatcher(store, clock, consumer, owner: "b", batchSize: 3),
            ]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for racer in racers {
                    group.addTask {
                        // Bounded: an intent pushed into backoff (a store error while marking
                        // it, on a loaded machine) would stay pending on the manual clock, and
                        // an unbounded loop would hang the whole test run instead of failing.
                        var idlePasses = 0
                        while try await racer.counts().pending > 0 {
                            if try await racer.dispatchDue() == 0 {
                                idlePasses += 1
                                try #require(idlePasses < 50_000, "intents stay pending on the manual clock")
                                await Task.yield()
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let delivered = await consumer.delivered
            #expect(delivered.count == ids.count)
            #expect(Set(delivered) == Set(ids))
        }
    }

    @Test("a crashed dispatcher's claim is claimed again once it expires", arguments: Backend.enabled)
    func expiredClaimIsClaimedAgain(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock async throws in
            let id = try #require(try await store.transaction { db in
                try await OutboxWriter(clock: clock).enqueue(topic: Self.topic, json: "{}", in: db)
            })
            let consumer = RecordingConsumer()
            let crashed = Self.dispatcher(store, clock, consumer, owner: "crashed")
            let survivor = Self.dispatcher(store, clock, consumer, owner: "survivor")
            // The first dispatcher claims and then dies without delivering.
            #expect(try await crashed.claimDue(limit: 10).intents.map(\.id) == [id])
            #expect(try await survivor.dispatchDue() == 0)
            await clock.advance(by: crashed.claimDuration)
            #expect(try await survivor.dispatchDue() == 1)
            #expect(await consumer.delivered == [id])
        }
    }

    @Test("the service loop delivers what is enqueued and stops when cancelled")
    func serviceLoopDeliversAndStops() async throws {
        try await withOutboxStore(.sqlite) { store, clock async throws in
            let consumer = RecordingConsumer()
            let dispatcher = Self.dispatcher(store, clock, consumer)
            let loop = Task { try await dispatcher.run() }
            let id = try #require(try await store.transaction { db in
                try await OutboxWriter(clock: clock).enqueue(topic: Self.topic, json: "{}", in: db)
            })
            // Bounded, so a broken loop fails the test instead of hanging it.
            for _ in 0..<10_000 {
                if await !consumer.delivered.isEmpty { break }
                await clock.advance(by: .seconds(1))
                await Task.yield()
            }
            loop.cancel()
            try await loop.value
            #expect(await consumer.delivered == [id])
        }
    }

    @Test("backoff doubles from its base, stays within its cap, and jitter keeps it in [half, full]")
    func backoffGrowsWithinItsCapAndJitterBounds() {
        let backoff = OutboxBackoff(base: .seconds(1), cap: .seconds(8), maxAttempts: 10)
        #expect(backoff.delay(afterAttempt: 1, jitter: 0) == .milliseconds(500))
        #expect(backoff.delay(afterAttempt: 1, jitter: 1) == .seconds(1))
        #expect(backoff.delay(afterAttempt: 3, jitter: 1) == .seconds(4))
        #expect(backoff.delay(afterAttempt: 9, jitter: 1) == .seconds(8))
        #expect(backoff.delay(afterAttempt: 9, jitter: 0) == .seconds(4))
        // Below the cap, the shortest draw of the next attempt waits at least the longest of this one.
        for attempt in 1..<4 {
            #expect(backoff.delay(afterAttempt: attempt + 1, jitter: 0) >= backoff.delay(afterAttempt: attempt, jitter: 1))
        }
    }
}

extension OutboxTests {
    @Test("a second intent with the same dedupe key is not written", arguments: Backend.enabled)
    func dedupeKeyWritesOnce(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock async throws in
            let writer = OutboxWriter(clock: clock)
            let first = try await store.transaction { db in
                try await writer.enqueue(topic: Self.topic, json: "{}", dedupeKey: "key.expiring/k1/7d", in: db)
            }
            let second = try await store.transaction { db in
                try await writer.enqueue(topic: Self.topic, json: "{}", dedupeKey: "key.expiring/k1/7d", in: db)
            }
            let unkeyed = try await store.transaction { db in
                try await writer.enqueue(topic: Self.topic, json: "{}", in: db)
            }
            #expect(first != nil)
            #expect(second == nil)
            #expect(unkeyed != nil)
            let counts = try await store.read { db in try await OutboxCounts.read(from: db, now: clock.now()) }
            #expect(counts.pending == 2)
        }
    }
}

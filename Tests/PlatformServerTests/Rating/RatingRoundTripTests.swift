import Foundation
import Logging
@testable import MeteringService
import PlatformContracts
import PlatformStore
import SQLKit
import Synchronization
import Testing

/// Counts the statements the database drivers execute (they log each one, "Executing query",
/// at trace level on the store's logger).
final class StatementCounter: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    func reset() { count.withLock { $0 = 0 } }

    func increment() { count.withLock { $0 += 1 } }

    /// A logger whose handler counts executed statements.
    var logger: Logger {
        var logger = Logger(label: "test.rating.statements") { _ in StatementCountingHandler(counter: self) }
        logger.logLevel = .trace
        return logger
    }
}

struct StatementCountingHandler: LogHandler {
    let counter: StatementCounter
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if event.message.description == "Executing query" { counter.increment() }
    }
}

/// A rating pass costs a bounded number of statements however many events it rates: on
/// PostgreSQL each statement is a round trip, and a pass that made several per event (chain
/// lookup, live balance, account upserts, MAX(seq), each posting, the notice, the queue delete)
/// rated only ~100 events/s, far from the usage → rated lag target (p99 ≤ 1 s).
@Suite("Rating round trips")
struct RatingRoundTripTests {
    @Test("a pass of hundreds of events across tenants costs a bounded number of statements, and charges them all exactly",
          arguments: ServerBackend.enabled)
    func ratingPassCostsABoundedNumberOfStatementsNotSeveralPerEvent(backend: ServerBackend) async throws {
        let counter = StatementCounter()
        try await withRatingFixture(backend, storeLogger: counter.logger) { f in
            // acme has 50 000 of promotional credit: the first charges in the pass use it up,
            // exactly, from the running balance the pass keeps in memory.
            try await f.store.transaction { db in
                try await LedgerWriter.post(
                    id: "credit/acme", kind: .creditGrant, tenant: "acme", reference: "grant", memo: nil,
                    postings: [Posting(account: .promotionsExpense, currency: "USD", amount: 50_000),
                               Posting(account: .tenant("acme", .promotionalCredit), currency: "USD", amount: -50_000)],
                    by: "admin", at: RatingFixture.start, in: db, backend: f.store.backend)
            }
            let tenants = ["acme", "globex", "initech"]
            var events: [UsageEvent] = []
            for index in 0..<300 {
                events.append(RatingFixture.runtime(String(format: "e%03d", index), seconds: 360, tenant: tenants[index % tenants.count]))
            }
            for start in stride(from: 0, to: events.count, by: 100) {
                _ = try await f.usage.ingest(Array(events[start..<start + 100]))
            }
            counter.reset()
            let pass = try await f.worker.rateQueued()
            let statements = counter.value
            #expect(pass.rated == 300 && pass.waiting == 0 && pass.unrated == 0)
            // The old pass made well over 2 000 here (8+ per event); the batched one a few dozen.
            #expect(statements > 0, "the driver logged no statement: the count would prove nothing")
            #expect(statements < 60, "a pass of 300 events ran \(statements) statements")

            // Each event: 360 s of runtime at 100 000 per hour = 10 000.
            #expect(try await f.count("SELECT COUNT(*) AS n FROM billing_rated_charges") == 300)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM ledger_entries") == 301)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM outbox_intents WHERE dedupe_key LIKE 'usage.rated/%'") == 300)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM metering_rating_queue") == 0)
            #expect(try await f.posted(.tenant("acme", .promotionalCredit)) == 0)
            #expect(try await f.posted(.tenant("acme", .receivable)) == 100 * 10_000 - 50_000)
            #expect(try await f.posted(.tenant("globex", .receivable)) == 100 * 10_000)
            #expect(try await f.posted(.revenue(product: "apps")) == -300 * 10_000)
            let seqs = try await f.store.read { db in
                try await db.raw("SELECT seq FROM ledger_entries ORDER BY seq").all().map { try $0.decode(column: "seq", as: Int64.self) }
            }
            #expect(seqs == Array(1...301))
            #expect(try await f.count("SELECT COUNT(*) AS n FROM ledger_accounts") == 6)
        }
    }
}

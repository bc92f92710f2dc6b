import PlatformContracts
@testable import PlatformStore
import SQLKit
import Testing

/// `OutboxWriter.notify(batch:in:)` writes many notices in multi-row inserts (the rating pass's
/// `usage.rated` notices) with the dedupe rule of single intents.
@Suite("Outbox batch notify")
struct OutboxBatchNotifyTests {
    @Test("a batch of notices skips keys already written and keys repeated in the batch, and keeps unkeyed ones",
          arguments: Backend.enabled)
    func batchNotifyKeepsTheDedupeRuleOfSingleIntents(backend: Backend) async throws {
        try await withOutboxStore(backend) { store, clock async throws in
            let writer = OutboxWriter(clock: clock)
            func notice(_ name: String) -> NotificationEvent {
                NotificationEvent(template: "usage.rated", project: "acme-ml", tenant: "acme", recipients: [], variables: ["charge": name],
                                  occurredAt: clock.now())
            }
            try await store.transaction { db in
                try await writer.notify(notice("a"), dedupeKey: "usage.rated/a", in: db)
            }
            try await store.transaction { db in
                try await writer.notify(batch: [(notice("a"), "usage.rated/a"), (notice("b"), "usage.rated/b"), (notice("b"), "usage.rated/b"),
                                                (notice("c"), nil), (notice("d"), nil)], in: db)
            }
            let keys = try await store.read { db in
                try await db.raw("SELECT dedupe_key FROM outbox_intents ORDER BY dedupe_key").all()
                    .map { try $0.decode(column: "dedupe_key", as: String?.self) }
            }
            #expect(keys.compactMap { $0 }.sorted() == ["usage.rated/a", "usage.rated/b"])
            #expect(keys.filter { $0 == nil }.count == 2)
            let counts = try await store.read { db in try await OutboxCounts.read(from: db, now: clock.now()) }
            #expect(counts.pending == 4)
        }
    }
}

import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit

/// Opens a fresh store of `backend` migrated with the `outbox` module alone (it must stand on
/// its own, so any module can adopt it), with a ``ManualClock`` to drive due times and leases.
func withOutboxStore<T>(
    _ backend: Backend, _ body: (SQLStore, ManualClock) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory async throws in
        let store = try await SQLStore.open(try await backend.makeLocation(in: directory), logger: testLogger)
        do {
            try await Migrator(store: store, sets: [OutboxSchema.migrations], logger: testLogger).migrate()
            let result = try await body(store, ManualClock())
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

/// A consumer that fails its first `failures` deliveries, then records every intent it accepts
/// (duplicates included, so a test sees a double delivery).
actor RecordingConsumer: OutboxConsumer {
    private var failuresLeft: Int
    private(set) var delivered: [ULID] = []
    private(set) var payloads: [String] = []
    private(set) var calls = 0

    init(failures: Int = 0) { failuresLeft = failures }

    func deliver(_ intent: OutboxIntent) async throws {
        calls += 1
        if failuresLeft > 0 {
            failuresLeft -= 1
            throw OutboxTestError.receiverDown
        }
        delivered.append(intent.id)
        payloads.append(intent.payload)
    }

    func setFailures(_ count: Int) { failuresLeft = count }
}

enum OutboxTestError: Error { case receiverDown, rollback }

/// One intent's stored row, for assertions on state, attempts and due time.
struct OutboxRow {
    let state: String
    let attempts: Int64
    let availableAt: Int64
    let lastError: String?

    static func read(_ id: ULID, from store: SQLStore) async throws -> OutboxRow? {
        try await store.read { db in
            guard let row = try await db.raw("""
                SELECT state, attempts, available_at, last_error FROM outbox_intents WHERE event_id = \(bind: id.description)
                """).first() else { return nil }
            return OutboxRow(
                state: try row.decode(column: "state", as: String.self),
                attempts: try row.decode(column: "attempts", as: Int64.self),
                availableAt: try row.decode(column: "available_at", as: Int64.self),
                lastError: try row.decode(column: "last_error", as: String?.self)
            )
        }
    }
}

/// The payload the tests enqueue.
struct OutboxTestEvent: Codable, Sendable {
    let instance: String
}

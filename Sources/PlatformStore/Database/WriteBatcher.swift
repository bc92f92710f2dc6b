import SQLKit

/// Group commit: concurrent small writes share one transaction instead of queueing for the
/// single SQLite writer one by one. Each write runs in a savepoint of its own, so one that
/// throws is rolled back alone and only its caller sees the error; the others commit.
///
/// ```swift
/// let batcher = WriteBatcher(store: store)
/// try await batcher.write { db in try await db.insert(into: "t").values(...).run() }
/// ```
public actor WriteBatcher {
    /// One write and who waits for it.
    private struct Pending {
        let work: @Sendable (any SQLDatabase) async throws -> Void
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let store: SQLStore
    private let maximumBatch: Int
    private var pending: [Pending] = []
    private var flushing = false

    /// Creates a batcher over `store`; at most `maximumBatch` writes share a transaction.
    public init(store: SQLStore, maximumBatch: Int = 128) {
        self.store = store
        self.maximumBatch = maximumBatch
    }

    /// Runs `work` in a transaction shared with the writes submitted meanwhile; returns once
    /// that transaction committed.
    /// - Throws: What `work` threw (only its own savepoint was rolled back), or the store's
    ///   error when the shared transaction itself failed.
    public func write(_ work: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.append(Pending(work: work, continuation: continuation))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maximumBatch))
            pending.removeFirst(batch.count)
            let location = store.location
            do {
                let results = try await store.transaction { db in
                    var results: [Result<Void, any Error>] = []
                    for (index, item) in batch.enumerated() {
                        try await db.raw("SAVEPOINT write_\(unsafeRaw: String(index))").run()
                        do {
                            try await item.work(db)
                            try await db.raw("RELEASE SAVEPOINT write_\(unsafeRaw: String(index))").run()
                            results.append(.success(()))
                        } catch {
                            try await db.raw("ROLLBACK TO SAVEPOINT write_\(unsafeRaw: String(index))").run()
                            try await db.raw("RELEASE SAVEPOINT write_\(unsafeRaw: String(index))").run()
                            results.append(.failure(StoreErrorMapping.map(error, location: location)))
                        }
                    }
                    return results
                }
                for (item, result) in zip(batch, results) { item.continuation.resume(with: result) }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
        flushing = false
    }
}

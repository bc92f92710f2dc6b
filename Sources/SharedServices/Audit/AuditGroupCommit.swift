import PlatformContracts
import PlatformStore
import SQLKit

/// Group commit for audit records written on their own: the records that arrive while one
/// transaction commits wait and share the next one (at most ``maximumBatch``), so N
/// concurrent writers cost one head-row lock and one commit instead of N in a queue on the
/// head row. Order is arrival order; the chain and the gapless sequence are written exactly
/// as for one record. All or nothing: a failed transaction fails every record in it.
actor AuditGroupCommit {
    /// Writes a batch in the given transaction.
    typealias Write = @Sendable ([AuditEvent], any SQLDatabase) async throws -> Void

    private struct Pending {
        let event: AuditEvent
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let store: SQLStore
    /// The most records one transaction carries (14 bound values each: within SQLite's and
    /// PostgreSQL's limits on a statement's parameters).
    let maximumBatch: Int
    private var pending: [Pending] = []
    private var write: Write?
    private var flushing = false
    /// Transactions committed so far, and records in them (what batching achieved).
    private(set) var committed: (transactions: Int, records: Int) = (0, 0)

    init(store: SQLStore, maximumBatch: Int = 256) {
        self.store = store
        self.maximumBatch = maximumBatch
    }

    /// Queues `event` and returns once the transaction holding it committed.
    func append(_ event: AuditEvent, write: @escaping Write) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.append(Pending(event: event, continuation: continuation))
            self.write = write
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !pending.isEmpty, let write {
            let batch = Array(pending.prefix(maximumBatch))
            pending.removeFirst(batch.count)
            let events = batch.map(\.event)
            do {
                try await store.transaction { db in try await write(events, db) }
                committed.transactions += 1
                committed.records += batch.count
                for item in batch { item.continuation.resume() }
            } catch {
                let failure = (error as? PlatformError).flatMap { $0.code == .auditUnavailable ? $0 : nil }
                    ?? PlatformError(.auditUnavailable, "the audit record could not be written, so the change was not made: \(error)")
                for item in batch { item.continuation.resume(throwing: failure) }
            }
        }
        flushing = false
    }
}

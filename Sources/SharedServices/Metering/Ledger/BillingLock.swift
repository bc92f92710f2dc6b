import PlatformStore
import SQLKit

/// The one lock every ledger writer takes inside its transaction (rating, credit grants,
/// statement close), so entry `seq` is handed out one writer at a time and is commit order:
/// a rollup that folds postings past `through_seq` never skips a later-committing lower seq.
enum BillingLock {
    /// Takes the billing lock for the rest of the current transaction. PostgreSQL: a
    /// transaction-scoped advisory lock (re-entrant, released at commit or rollback). SQLite:
    /// nothing — the store already runs one write transaction at a time.
    static func acquire(_ db: any SQLDatabase, backend: StoreBackend) async throws {
        guard backend == .postgres else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(hashtext('billing.ledger'))").run()
    }
}

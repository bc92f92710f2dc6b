import PlatformContracts
import PlatformStore
import SQLKit

/// The only code that writes journal entries. It inserts — an entry and its postings, and an
/// account the first time one is used — and never updates or deletes: a mistake is undone by
/// a reversing entry, as in TigerBeetle's transfers. Balances are derived by the rollup.
struct LedgerWriter {
    /// Posts one entry inside the caller's transaction, under ``BillingLock``.
    /// - Parameters:
    ///   - id: The idempotency key; an entry with this id already posted makes this a no-op.
    ///   - postings: At least two, summing to zero per currency (debit +, credit −).
    /// - Returns: The entry posted, or nil when `id` already existed.
    /// - Throws: ``ErrorCode/ledgerUnbalanced`` when the postings do not balance.
    @discardableResult
    static func post(id: String, kind: JournalEntryKind, tenant: String, reference: String, memo: String?, postings: [Posting],
                     by actor: String, at: Timestamp, in db: any SQLDatabase, backend: StoreBackend) async throws -> JournalEntry? {
        var batch = Batch()
        try batch.post(id: id, kind: kind, tenant: tenant, reference: reference, memo: memo, postings: postings, by: actor, at: at)
        return try await batch.flush(in: db, backend: backend).first
    }

    /// An account's balance on its normal side, summed from its postings (not the rollup): what
    /// rating reads to decide how much promotional credit is left, inside its transaction.
    static func liveBalance(_ account: LedgerAccountID, currency: String, in db: any SQLDatabase) async throws -> Int64 {
        try await liveBalances([account], in: db)[BalanceKey(account: account.rawValue, currency: currency)] ?? 0
    }

    /// The kind an account id names: `tenant/T/<kind>`, `revenue/<product>`, `platform/promotions-expense`.
    static func kind(of account: LedgerAccountID) -> LedgerAccountKind? {
        let parts = account.rawValue.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.first {
        case "tenant": return parts.count == 3 ? LedgerAccountKind(rawValue: String(parts[2])) : nil
        case "revenue": return .revenue
        case "platform": return parts.count == 2 ? LedgerAccountKind(rawValue: String(parts[1])) : nil
        default: return nil
        }
    }
}

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
        var entry = JournalEntry(id: id, seq: 0, kind: kind, tenant: tenant, reference: reference, memo: memo, postings: postings, postedAt: at)
        guard entry.isBalanced else {
            throw PlatformError(.ledgerUnbalanced, "entry \(id) does not balance: \(postings.count) postings must be two or more and sum to zero per currency",
                                details: ["entry": id])
        }
        try await BillingLock.acquire(db, backend: backend)
        if try await db.raw("SELECT id FROM ledger_entries WHERE id = \(bind: id)").first() != nil { return nil }
        for posting in postings {
            try await ensureAccount(posting.account, currency: posting.currency, at: at, in: db)
        }
        let seqRow = try await db.raw("SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM ledger_entries").first()
        entry.seq = try seqRow?.decode(column: "seq", as: Int64.self) ?? 1
        try await db.raw("""
            INSERT INTO ledger_entries (id, seq, kind, tenant_id, reference, memo, posted_at, posted_by)
            VALUES (\(bind: id), \(bind: entry.seq), \(bind: kind.rawValue), \(bind: tenant), \(bind: reference), \(bind: memo),
                    \(bind: at.rfc3339), \(bind: actor))
            """).run()
        for (index, posting) in postings.enumerated() {
            try await db.raw("""
                INSERT INTO ledger_postings (entry_id, idx, seq, account_id, currency, amount)
                VALUES (\(bind: id), \(bind: index), \(bind: entry.seq), \(bind: posting.account.rawValue), \(bind: posting.currency),
                        \(bind: posting.amount))
                """).run()
        }
        return entry
    }

    /// An account's balance on its normal side, summed from its postings (not the rollup): what
    /// rating reads to decide how much promotional credit is left, inside its transaction.
    static func liveBalance(_ account: LedgerAccountID, currency: String, in db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.raw("""
            SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total FROM ledger_postings
            WHERE account_id = \(bind: account.rawValue) AND currency = \(bind: currency)
            """).first()
        let debitMinusCredit = try row?.decode(column: "total", as: Int64.self) ?? 0
        return kind(of: account)?.creditNormal == false ? debitMinusCredit : -debitMinusCredit
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

    private static func ensureAccount(_ account: LedgerAccountID, currency: String, at: Timestamp, in db: any SQLDatabase) async throws {
        guard let kind = kind(of: account) else {
            throw PlatformError(.ledgerUnbalanced, "\(account) is not a ledger account id", details: ["account": account.rawValue])
        }
        let parts = account.rawValue.split(separator: "/").map(String.init)
        let tenant = parts.first == "tenant" ? parts[1] : nil
        let product = parts.first == "revenue" ? parts.dropFirst().joined(separator: "/") : nil
        try await db.raw("""
            INSERT INTO ledger_accounts (id, kind, tenant_id, product, currency, created_at)
            VALUES (\(bind: account.rawValue), \(bind: kind.rawValue), \(bind: tenant), \(bind: product), \(bind: currency), \(bind: at.rfc3339))
            ON CONFLICT DO NOTHING
            """).run()
    }
}

import PlatformContracts
import PlatformStore
import SQLKit

extension LedgerWriter {
    /// Journal entries of one transaction, written together by ``flush(in:backend:)``: the
    /// accounts first used (once each), one `MAX(seq)` for the whole transaction, then the
    /// entries and their postings as multi-row inserts. The same rules as
    /// ``LedgerWriter/post(id:kind:tenant:reference:memo:postings:by:at:in:backend:)`` — an id
    /// already posted is a no-op, unbalanced postings throw, seqs are gapless under
    /// ``BillingLock`` — at a cost per flush rather than per entry (the rating pass posts
    /// hundreds of entries per transaction).
    struct Batch {
        private var pending: [(entry: JournalEntry, actor: String)] = []
        private var ensured: Set<String> = []
        private var nextSeq: Int64?

        var isEmpty: Bool { pending.isEmpty }

        /// Queues one entry.
        /// - Throws: ``ErrorCode/ledgerUnbalanced`` when the postings do not balance, or name no account.
        mutating func post(id: String, kind: JournalEntryKind, tenant: String, reference: String, memo: String?, postings: [Posting],
                           by actor: String, at: Timestamp) throws(PlatformError) {
            let entry = JournalEntry(id: id, seq: 0, kind: kind, tenant: tenant, reference: reference, memo: memo, postings: postings, postedAt: at)
            guard entry.isBalanced else {
                throw PlatformError(.ledgerUnbalanced,
                                    "entry \(id) does not balance: \(postings.count) postings must be two or more and sum to zero per currency",
                                    details: ["entry": id])
            }
            for posting in postings where LedgerWriter.kind(of: posting.account) == nil {
                throw PlatformError(.ledgerUnbalanced, "\(posting.account) is not a ledger account id", details: ["account": posting.account.rawValue])
            }
            pending.append((entry, actor))
        }

        /// Writes the queued entries in the caller's transaction, which holds ``BillingLock``.
        /// - Returns: The entries posted, with their seqs (ids already in the ledger left out).
        @discardableResult
        mutating func flush(in db: any SQLDatabase, backend: StoreBackend) async throws -> [JournalEntry] {
            guard !pending.isEmpty else { return [] }
            if nextSeq == nil { try await BillingLock.acquire(db, backend: backend) }
            var existing: Set<String> = []
            for chunk in BatchSQL.chunks(pending.map(\.entry.id)) {
                let rows = try await db.select().column("id").from("ledger_entries").where("id", .in, Array(chunk)).all()
                for row in rows { existing.insert(try row.decode(column: "id", as: String.self)) }
            }
            var fresh: [(entry: JournalEntry, actor: String)] = []
            for item in pending where existing.insert(item.entry.id).inserted { fresh.append(item) }
            pending = []
            guard !fresh.isEmpty else { return [] }

            var accounts: [[any Encodable & Sendable]] = []
            for item in fresh {
                for posting in item.entry.postings where ensured.insert(posting.account.rawValue).inserted {
                    accounts.append(LedgerWriter.accountRow(posting.account, currency: posting.currency, at: item.entry.postedAt))
                }
            }
            try await BatchSQL.insert(into: "ledger_accounts", columns: ["id", "kind", "tenant_id", "product", "currency", "created_at"],
                                      rows: accounts, ignoringConflicts: true, in: db)

            if nextSeq == nil {
                let row = try await db.raw("SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM ledger_entries").first()
                nextSeq = try row?.decode(column: "seq", as: Int64.self) ?? 1
            }
            var posted: [JournalEntry] = []
            var entryRows: [[any Encodable & Sendable]] = []
            var postingRows: [[any Encodable & Sendable]] = []
            for item in fresh {
                var entry = item.entry
                entry.seq = nextSeq ?? 1
                nextSeq = entry.seq + 1
                entryRows.append([entry.id, entry.seq, entry.kind.rawValue, entry.tenant, entry.reference, entry.memo,
                                  entry.postedAt.rfc3339, item.actor])
                for (index, posting) in entry.postings.enumerated() {
                    postingRows.append([entry.id, index, entry.seq, posting.account.rawValue, posting.currency, posting.amount])
                }
                posted.append(entry)
            }
            try await BatchSQL.insert(into: "ledger_entries",
                                      columns: ["id", "seq", "kind", "tenant_id", "reference", "memo", "posted_at", "posted_by"],
                                      rows: entryRows, in: db)
            try await BatchSQL.insert(into: "ledger_postings", columns: ["entry_id", "idx", "seq", "account_id", "currency", "amount"],
                                      rows: postingRows, in: db)
            return posted
        }
    }

    /// A `ledger_accounts` row for `account` (kind, tenant or product parsed from its id).
    static func accountRow(_ account: LedgerAccountID, currency: String, at: Timestamp) -> [any Encodable & Sendable] {
        let parts = account.rawValue.split(separator: "/").map(String.init)
        let tenant: String? = parts.first == "tenant" ? parts[1] : nil
        let product: String? = parts.first == "revenue" ? parts.dropFirst().joined(separator: "/") : nil
        return [account.rawValue, kind(of: account)?.rawValue ?? "", tenant, product, currency, at.rfc3339]
    }

    /// The live balances (normal side, from postings) of `accounts`, in one query: what rating
    /// reads once per pass for every tenant's promotional credit. Keyed by account id and
    /// currency; an account with no postings is absent (its balance is 0).
    static func liveBalances(_ accounts: [LedgerAccountID], in db: any SQLDatabase) async throws -> [BalanceKey: Int64] {
        var result: [BalanceKey: Int64] = [:]
        for chunk in BatchSQL.chunks(accounts.map(\.rawValue)) {
            let rows = try await db.select()
                .column("account_id").column("currency")
                .column(SQLRaw("CAST(COALESCE(SUM(amount), 0) AS BIGINT)"), as: "total")
                .from("ledger_postings").where("account_id", .in, Array(chunk))
                .groupBy("account_id").groupBy("currency").all()
            for row in rows {
                let account = LedgerAccountID(rawValue: try row.decode(column: "account_id", as: String.self))
                let total = try row.decode(column: "total", as: Int64.self)
                result[BalanceKey(account: account.rawValue, currency: try row.decode(column: "currency", as: String.self))] =
                    kind(of: account)?.creditNormal == false ? total : -total
            }
        }
        return result
    }

    /// An account and currency.
    struct BalanceKey: Hashable {
        var account: String
        var currency: String
    }
}

import PlatformContracts
import PlatformStore
import SQLKit

extension BillingService {
    /// A tenant's newest journal entries with their postings, newest first
    /// (`appctl billing entries`, `GET /v1/billing/entries`).
    /// - Parameter limit: At most this many entries (clamped to 1…1000).
    public func entries(tenant: String, limit: Int) async throws -> [JournalEntry] {
        let limit = min(max(limit, 1), 1000)
        return try await store.read { db in
            let rows = try await db.raw("""
                SELECT id, seq, kind, tenant_id, reference, memo, posted_at FROM ledger_entries
                WHERE tenant_id = \(bind: tenant) ORDER BY seq DESC LIMIT \(bind: limit)
                """).all()
            guard let newest = try rows.first?.decode(column: "seq", as: Int64.self),
                  let oldest = try rows.last?.decode(column: "seq", as: Int64.self)
            else { return [] }
            let postingRows = try await db.raw("""
                SELECT p.entry_id, p.account_id, p.currency, p.amount FROM ledger_postings p
                JOIN ledger_entries e ON e.id = p.entry_id
                WHERE e.tenant_id = \(bind: tenant) AND p.seq BETWEEN \(bind: oldest) AND \(bind: newest)
                ORDER BY p.entry_id, p.idx
                """).all()
            var postings: [String: [Posting]] = [:]
            for row in postingRows {
                postings[try row.decode(column: "entry_id", as: String.self), default: []].append(Posting(
                    account: LedgerAccountID(rawValue: try row.decode(column: "account_id", as: String.self)),
                    currency: try row.decode(column: "currency", as: String.self), amount: try row.decode(column: "amount", as: Int64.self)))
            }
            return try rows.map { row in
                let id = try row.decode(column: "id", as: String.self)
                return JournalEntry(
                    id: id, seq: try row.decode(column: "seq", as: Int64.self),
                    kind: JournalEntryKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .charge,
                    tenant: try row.decode(column: "tenant_id", as: String.self), reference: try row.decode(column: "reference", as: String.self),
                    memo: try row.decode(column: "memo", as: String?.self), postings: postings[id] ?? [],
                    postedAt: Timestamp(rfc3339: try row.decode(column: "posted_at", as: String.self)) ?? Timestamp(millisecondsSinceEpoch: 0))
            }
        }
    }
}

import PlatformContracts
import PlatformStore
import SQLKit

/// What one rating pass reads once and writes at once. Reads: which claimed events already
/// have a charge, the tenants' closed statement periods and promotional credit (kept current
/// in memory as the pass charges). Writes: rated charges, journal entries (``LedgerWriter/Batch``),
/// `usage.rated` notices and queue deletions, held until ``flush(in:backend:clock:)`` and then
/// written as multi-row statements — so a pass costs a few round trips, not several per event.
///
/// A correction reads the ledger (the chain's charge in effect and its postings), so the pass
/// flushes before rating one; the in-memory credit stays right across flushes.
struct RatingPassState {
    private var ledger = LedgerWriter.Batch()
    private var charges: [[any Encodable & Sendable]] = []
    private var notices: [(event: NotificationEvent, dedupeKey: String?)] = []
    private var removals: [String: [String]] = [:]
    /// Claimed events (`source/id`) that already had a charge when the pass began.
    private var charged: Set<String> = []
    /// Closed statement periods per tenant loaded so far.
    private var closed: [String: Set<String>] = [:]
    /// Promotional credit (normal side) per account and currency known in memory, current with
    /// every posting of the pass; `loadedAccounts` were read for every currency.
    private var credit: [LedgerWriter.BalanceKey: Int64] = [:]
    private var loadedAccounts: Set<String> = []
    /// Credit movements not yet flushed on accounts not known in memory.
    private var unflushedCredit: [LedgerWriter.BalanceKey: Int64] = [:]

    /// Reads what the claimed events need: their existing charges, their tenants' closed
    /// periods and promotional credit — one query each (per source for charges).
    mutating func preload(_ items: [RatingQueue.Item], in db: any SQLDatabase) async throws {
        var idsBySource: [String: [String]] = [:]
        for item in items { idsBySource[item.event.source, default: []].append(item.event.id) }
        for (source, ids) in idsBySource {
            for chunk in BatchSQL.chunks(ids, reserved: 2) {
                let rows = try await db.select().column("event_id").from("billing_rated_charges")
                    .where("event_source", .equal, source).where("kind", .equal, JournalEntryKind.charge.rawValue)
                    .where("event_id", .in, Array(chunk)).all()
                for row in rows { charged.insert("\(source)/\(try row.decode(column: "event_id", as: String.self))") }
            }
        }
        let tenants = Array(Set(items.map(\.event.tenant))).sorted()
        try await loadClosed(tenants, in: db)
        let accounts = tenants.map { LedgerAccountID.tenant($0, .promotionalCredit) }
        for (key, value) in try await LedgerWriter.liveBalances(accounts, in: db) { credit[key] = value }
        loadedAccounts.formUnion(accounts.map(\.rawValue))
    }

    /// Whether the claimed event `source`/`id` had a charge before the pass.
    func alreadyCharged(source: String, id: String) -> Bool { charged.contains("\(source)/\(id)") }

    /// Whether `tenant`'s statement for `period` is closed (closing takes ``BillingLock``, which
    /// the pass holds, so what was read stays true for the pass).
    mutating func isClosed(_ period: BillingPeriod, tenant: String, in db: any SQLDatabase) async throws -> Bool {
        if closed[tenant] == nil { try await loadClosed([tenant], in: db) }
        return closed[tenant]?.contains(period.description) ?? false
    }

    private mutating func loadClosed(_ tenants: [String], in db: any SQLDatabase) async throws {
        for tenant in tenants where closed[tenant] == nil { closed[tenant] = [] }
        for chunk in BatchSQL.chunks(tenants) {
            let rows = try await db.select().column("tenant_id").column("period").from("billing_statements")
                .where("tenant_id", .in, Array(chunk)).all()
            for row in rows {
                closed[try row.decode(column: "tenant_id", as: String.self), default: []]
                    .insert(try row.decode(column: "period", as: String.self))
            }
        }
    }

    /// `tenant`'s promotional credit left in `currency`, counting this pass's postings.
    mutating func promotionalCredit(tenant: String, currency: String, in db: any SQLDatabase) async throws -> Int64 {
        let account = LedgerAccountID.tenant(tenant, .promotionalCredit)
        let key = LedgerWriter.BalanceKey(account: account.rawValue, currency: currency)
        if let known = credit[key] { return known }
        if loadedAccounts.contains(account.rawValue) { return 0 }
        let value = try await LedgerWriter.liveBalance(account, currency: currency, in: db) + unflushedCredit[key, default: 0]
        credit[key] = value
        unflushedCredit[key] = nil
        return value
    }

    /// Queues a rated charge, its journal entry and its `usage.rated` notice.
    mutating func record(_ charge: RatedCharge, postings: [Posting], recordedMs: Int64) throws(PlatformError) {
        try ledger.post(id: charge.entryId, kind: charge.kind, tenant: charge.tenant, reference: charge.id, memo: nil,
                        postings: postings, by: "platform/billing.rating", at: charge.ratedAt)
        for posting in postings where LedgerWriter.kind(of: posting.account) == .promotionalCredit {
            let key = LedgerWriter.BalanceKey(account: posting.account.rawValue, currency: posting.currency)
            let change = LedgerAccountKind.promotionalCredit.creditNormal ? -posting.amount : posting.amount
            if credit[key] != nil || loadedAccounts.contains(key.account) {
                credit[key, default: 0] += change
            } else {
                unflushedCredit[key, default: 0] += change
            }
        }
        charges.append(RatedChargeRows.row(charge, recordedMs: recordedMs))
        notices.append((RatedChargeRows.notice(charge), "usage.rated/\(charge.id)"))
    }

    /// Queues the deletion of a rated event's queue row.
    mutating func remove(source: String, id: String) {
        removals[source, default: []].append(id)
    }

    /// Writes everything queued, in the caller's transaction (which holds ``BillingLock``).
    mutating func flush(in db: any SQLDatabase, backend: StoreBackend, clock: any PlatformClock) async throws {
        try await BatchSQL.insert(into: "billing_rated_charges", columns: RatedChargeRows.columns, rows: charges, in: db)
        charges = []
        try await ledger.flush(in: db, backend: backend)
        try await OutboxWriter(clock: clock).notify(batch: notices, in: db)
        notices = []
        for (source, ids) in removals {
            for chunk in BatchSQL.chunks(ids, reserved: 1) {
                try await db.delete(from: "metering_rating_queue").where("source", .equal, source).where("id", .in, Array(chunk)).run()
            }
        }
        removals = [:]
        unflushedCredit = [:]
    }
}

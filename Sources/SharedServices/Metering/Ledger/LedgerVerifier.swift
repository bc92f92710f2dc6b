import PlatformContracts
import PlatformStore
import SQLKit

/// Checks every ledger invariant over the whole ledger, in one snapshot (`appctl ledger
/// verify`, `GET /v1/ledger/verify`). Each check is a query that returns its offenders, so a
/// failure names the entries, charges or events to look at rather than a count.
///
/// The invariants follow TigerBeetle's accounts-and-transfers model: every entry balances,
/// so the whole ledger does; a balance is derived from postings and must equal their sum;
/// and, for metering, every usage event is either waiting in the rating queue or rated —
/// never both, never neither — and every rated charge is posted exactly once.
enum LedgerVerifier {
    /// Most offenders listed per check.
    static let maxViolations = 20

    /// Runs every check in one read-only snapshot (repeatable read on PostgreSQL, a deferred
    /// read transaction on SQLite's WAL), so a rating or rollup committing meanwhile cannot make
    /// consistent data look inconsistent, and rating is not held up while it reads.
    static func verify(store: SQLStore, at now: Timestamp) async throws -> LedgerVerification {
        try await store.read { db in
            try await db.raw(store.backend == .postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN").run()
            do {
                let result = try await verify(db, at: now)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    static func verify(_ db: any SQLDatabase, at now: Timestamp) async throws -> LedgerVerification {
        let entries = try await count("SELECT COUNT(*) AS n FROM ledger_entries", db)
        let postings = try await count("SELECT COUNT(*) AS n FROM ledger_postings", db)
        let charges = try await count("SELECT COUNT(*) AS n FROM billing_rated_charges", db)
        let checks = [
            try await entriesBalanced(db, entries: entries),
            try await ledgerBalanced(db, entries: entries, postings: postings),
            try await chargesPostedOnce(db, charges: charges),
            try await rollupsMatch(db),
            try await eventsRatedOnce(db),
        ]
        return LedgerVerification(checks: checks, entries: entries, postings: postings, charges: charges, checkedAt: now)
    }

    /// Every entry has at least two postings, they sum to zero per currency, and each carries
    /// its entry's seq; no posting belongs to a missing entry.
    static func entriesBalanced(_ db: any SQLDatabase, entries: Int64) async throws -> LedgerVerification.Check {
        let violations = try await offenders("""
            SELECT e.id AS v FROM ledger_entries e LEFT JOIN ledger_postings p ON p.entry_id = e.id
            GROUP BY e.id HAVING COUNT(p.entry_id) < 2
            UNION SELECT entry_id AS v FROM ledger_postings GROUP BY entry_id, currency HAVING SUM(amount) <> 0
            UNION SELECT p.entry_id AS v FROM ledger_postings p LEFT JOIN ledger_entries e ON e.id = p.entry_id
            WHERE e.id IS NULL OR e.seq <> p.seq
            ORDER BY v
            """, db)
        return check("entries-balanced", violations, detail: "\(entries) entries: two or more postings each, summing to zero per currency")
    }

    /// Debits equal credits over the whole ledger per currency, and `seq` runs gap-free from 1
    /// (the rollup's and readers' cursor depends on it).
    static func ledgerBalanced(_ db: any SQLDatabase, entries: Int64, postings: Int64) async throws -> LedgerVerification.Check {
        var violations = try await offenders("""
            SELECT currency AS v FROM ledger_postings GROUP BY currency HAVING SUM(amount) <> 0 ORDER BY v
            """, db)
        let top = try await count("SELECT COALESCE(MAX(seq), 0) AS n FROM ledger_entries", db)
        let first = try await count("SELECT COALESCE(MIN(seq), 1) AS n FROM ledger_entries", db)
        if top != entries || first != 1 { violations.append("seq 1…\(top) holds \(entries) entries") }
        let totals = try await db.raw("""
            SELECT CAST(COALESCE(SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END), 0) AS BIGINT) AS debits,
                   CAST(COALESCE(SUM(CASE WHEN amount < 0 THEN -amount ELSE 0 END), 0) AS BIGINT) AS credits
            FROM ledger_postings
            """).first()
        let debits = try totals?.decode(column: "debits", as: Int64.self) ?? 0
        let credits = try totals?.decode(column: "credits", as: Int64.self) ?? 0
        return check("ledger-balanced", violations, detail: "\(postings) postings: debits \(debits) = credits \(credits); seq gap-free 1…\(top)")
    }

    /// Every rated charge has its entry (and the entry's debits equal the charge's amount);
    /// every charge or reversal entry belongs to a rated charge; every reversal undoes an
    /// existing charge of the same amount, and no charge is reversed twice.
    static func chargesPostedOnce(_ db: any SQLDatabase, charges: Int64) async throws -> LedgerVerification.Check {
        let violations = try await offenders("""
            SELECT c.id AS v FROM billing_rated_charges c LEFT JOIN ledger_entries e ON e.id = c.entry_id WHERE e.id IS NULL
            UNION SELECT c.id AS v FROM billing_rated_charges c JOIN ledger_postings p ON p.entry_id = c.entry_id
            GROUP BY c.id, c.amount HAVING SUM(CASE WHEN p.amount > 0 THEN p.amount ELSE 0 END) <> ABS(c.amount)
            UNION SELECT e.id AS v FROM ledger_entries e LEFT JOIN billing_rated_charges c ON c.entry_id = e.id
            WHERE e.kind IN ('charge', 'reversal') AND c.id IS NULL
            UNION SELECT r.id AS v FROM billing_rated_charges r LEFT JOIN billing_rated_charges c ON c.id = r.reverses
            WHERE r.kind = 'reversal' AND (c.id IS NULL OR c.amount <> -r.amount)
            UNION SELECT reverses AS v FROM billing_rated_charges WHERE kind = 'reversal' GROUP BY reverses HAVING COUNT(*) > 1
            ORDER BY v
            """, db)
        return check("charges-posted-once", violations, detail: "\(charges) rated charges, each posted as exactly one entry")
    }

    /// Each rollup balance equals the sum of the postings through the rollup's `through_seq`
    /// (accounts with postings but no rollup row count as a rollup of zero).
    static func rollupsMatch(_ db: any SQLDatabase) async throws -> LedgerVerification.Check {
        let state = try await BalanceRollup.state(db)
        let through = state.throughSeq
        let violations = try await offenders("""
            SELECT COALESCE(b.account_id, s.account_id) AS v
            FROM (SELECT account_id, currency,
                         CAST(SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END) AS BIGINT) AS debits,
                         CAST(SUM(CASE WHEN amount < 0 THEN -amount ELSE 0 END) AS BIGINT) AS credits
                  FROM ledger_postings WHERE seq <= \(bind: through) GROUP BY account_id, currency) s
            LEFT JOIN ledger_balances b ON b.account_id = s.account_id AND b.currency = s.currency
            WHERE b.account_id IS NULL OR b.debits <> s.debits OR b.credits <> s.credits
            UNION SELECT b.account_id AS v FROM ledger_balances b
            WHERE NOT EXISTS (SELECT 1 FROM ledger_postings p
                              WHERE p.account_id = b.account_id AND p.currency = b.currency AND p.seq <= \(bind: through))
              AND (b.debits <> 0 OR b.credits <> 0)
            ORDER BY v
            """, db)
        let pending = try await count("SELECT COUNT(*) AS n FROM ledger_entries WHERE seq > \(bind: through)", db)
        let asOf = state.asOf.map { " as of \($0.rfc3339)" } ?? " (never run)"
        return check("rollups-match", violations,
                     detail: "balances through seq \(through)\(asOf) equal the sum of postings; \(pending) later entries not yet folded")
    }

    /// Every usage event is queued for rating or rated, never both and never neither; every
    /// queue row and rated charge belongs to a stored event.
    static func eventsRatedOnce(_ db: any SQLDatabase) async throws -> LedgerVerification.Check {
        let violations = try await offenders("""
            SELECT e.source || '/' || e.id AS v FROM metering_usage_events e
            WHERE NOT EXISTS (SELECT 1 FROM metering_rating_queue q WHERE q.source = e.source AND q.id = e.id)
              AND NOT EXISTS (SELECT 1 FROM billing_rated_charges c WHERE c.event_source = e.source AND c.event_id = e.id AND c.kind = 'charge')
            UNION SELECT q.source || '/' || q.id AS v FROM metering_rating_queue q
            JOIN billing_rated_charges c ON c.event_source = q.source AND c.event_id = q.id AND c.kind = 'charge'
            UNION SELECT q.source || '/' || q.id AS v FROM metering_rating_queue q
            WHERE NOT EXISTS (SELECT 1 FROM metering_usage_events e WHERE e.source = q.source AND e.id = q.id)
            UNION SELECT c.id AS v FROM billing_rated_charges c
            WHERE NOT EXISTS (SELECT 1 FROM metering_usage_events e WHERE e.source = c.event_source AND e.id = c.event_id)
            ORDER BY v
            """, db)
        let events = try await count("SELECT COUNT(*) AS n FROM metering_usage_events", db)
        let queued = try await count("SELECT COUNT(*) AS n FROM metering_rating_queue", db)
        return check("events-rated-once", violations, detail: "\(events) usage events: \(events - queued) rated, \(queued) waiting in the rating queue")
    }

    static func check(_ name: String, _ violations: [String], detail: String) -> LedgerVerification.Check {
        LedgerVerification.Check(name: name, passed: violations.isEmpty, detail: detail, violations: Array(violations.prefix(maxViolations)))
    }

    static func offenders(_ sql: SQLQueryString, _ db: any SQLDatabase) async throws -> [String] {
        var query = sql
        query.appendLiteral(" LIMIT \(maxViolations + 1)")
        return try await db.raw(query).all().map { try $0.decode(column: "v", as: String.self) }
    }

    static func count(_ sql: SQLQueryString, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? 0
    }
}

import Logging
import PlatformContracts
import SQLKit

/// One dispatcher's claim on a batch: the token written to `claim_owner` and what it covers.
public struct OutboxClaim: Sendable {
    /// `owner/ULID`, unique per claim, so outcomes are recorded only while the claim holds.
    public let token: String
    /// The claimed intents, oldest due first.
    public let intents: [OutboxIntent]
}

extension OutboxDispatcher {
    /// Claims up to `limit` due intents: pending, available now, and unclaimed or with an
    /// expired claim (a crashed dispatcher's). PostgreSQL skips rows another dispatcher is
    /// claiming at the same moment (`FOR UPDATE SKIP LOCKED`); SQLite has one writer, so the
    /// `UPDATE` itself is the claim. The rows are then read back by the claim's token.
    public func claimDue(limit: Int) async throws -> OutboxClaim {
        let token = "\(owner)/\(ULID(milliseconds: clock.now().millisecondsSinceEpoch))"
        let now = clock.nowMilliseconds()
        let expires = now + claimDuration.wholeMilliseconds
        let lock: SQLQueryString = store.backend == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await store.transaction { db in
            try await db.raw("""
                UPDATE \(ident: OutboxSchema.table) SET claim_owner = \(bind: token), claim_expires_at = \(bind: expires)
                WHERE event_id IN (
                    SELECT event_id FROM \(ident: OutboxSchema.table)
                    WHERE state = \(bind: OutboxState.pending.rawValue) AND available_at <= \(bind: now)
                      AND (claim_owner IS NULL OR claim_expires_at <= \(bind: now))
                    ORDER BY available_at, event_id LIMIT \(bind: Int64(limit))\(lock)
                )
                """).run()
            return try await db.raw("""
                SELECT event_id, topic, payload, created_at, attempts FROM \(ident: OutboxSchema.table)
                WHERE claim_owner = \(bind: token) ORDER BY available_at, event_id
                """).all()
        }
        let intents = try rows.map { row in
            let text = try row.decode(column: "event_id", as: String.self)
            guard let id = ULID(string: text) else {
                throw OutboxDeliveryError(message: "outbox row has an invalid event id \(text)")
            }
            return OutboxIntent(
                id: id,
                topic: try row.decode(column: "topic", as: String.self),
                payload: try row.decode(column: "payload", as: String.self),
                createdAt: Timestamp(millisecondsSinceEpoch: UInt64(try row.decode(column: "created_at", as: Int64.self))),
                attempts: Int(try row.decode(column: "attempts", as: Int64.self))
            )
        }
        return OutboxClaim(token: token, intents: intents)
    }

    /// Marks a claimed intent delivered; a claim lost meanwhile changes nothing (the new
    /// holder delivers again, which the consumer's idempotency absorbs).
    func recordDelivered(_ intent: OutboxIntent, under token: String) async throws {
        try await store.transaction { db in
            try await db.raw("""
                UPDATE \(ident: OutboxSchema.table)
                SET state = \(bind: OutboxState.delivered.rawValue), attempts = \(bind: Int64(intent.attempts + 1)),
                    last_error = NULL, claim_owner = NULL, claim_expires_at = NULL
                WHERE event_id = \(bind: intent.id.description) AND claim_owner = \(bind: token)
                """).run()
        }
    }

    /// Reschedules a failed intent after its backoff, or dead-letters it at the last attempt
    /// (or at once when `final`: the consumer threw ``OutboxUndeliverable``).
    func recordFailure(of intent: OutboxIntent, error: String, under token: String, final: Bool = false) async throws {
        let attempts = intent.attempts + 1
        let state: OutboxState = final || attempts >= backoffPolicy.maxAttempts ? .dead : .pending
        let delay = backoffPolicy.delay(afterAttempt: attempts, jitter: jitter())
        let available = clock.nowMilliseconds() + (state == .dead ? 0 : delay.wholeMilliseconds)
        try await store.transaction { db in
            try await db.raw("""
                UPDATE \(ident: OutboxSchema.table)
                SET state = \(bind: state.rawValue), attempts = \(bind: Int64(attempts)), last_error = \(bind: String(error.prefix(2000))),
                    available_at = \(bind: available), claim_owner = NULL, claim_expires_at = NULL
                WHERE event_id = \(bind: intent.id.description) AND claim_owner = \(bind: token)
                """).run()
        }
        logger.notice("outbox delivery failed", metadata: [
            "event": "\(intent.id)", "topic": "\(intent.topic)", "attempt": "\(attempts)",
            "state": "\(state.rawValue)", "error": "\(error)",
        ])
    }

    /// Puts a dead-lettered intent back to pending, due now, with a fresh attempt budget.
    /// - Returns: `false` when no dead intent has that id.
    @discardableResult
    public func retry(deadLetter id: ULID) async throws -> Bool {
        let now = clock.nowMilliseconds()
        return try await store.transaction { db in
            let found = try await db.raw("""
                SELECT event_id FROM \(ident: OutboxSchema.table)
                WHERE event_id = \(bind: id.description) AND state = \(bind: OutboxState.dead.rawValue)
                """).first()
            guard found != nil else { return false }
            try await db.raw("""
                UPDATE \(ident: OutboxSchema.table)
                SET state = \(bind: OutboxState.pending.rawValue), attempts = \(bind: Int64(0)), available_at = \(bind: now),
                    claim_owner = NULL, claim_expires_at = NULL
                WHERE event_id = \(bind: id.description)
                """).run()
            return true
        }
    }

    /// The outbox's counts for metrics (see ``OutboxCounts``).
    public func counts() async throws -> OutboxCounts {
        let now = clock.now()
        return try await store.read { db in try await OutboxCounts.read(from: db, now: now) }
    }
}

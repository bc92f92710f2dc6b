/// The `outbox` module's schema: durable delivery intents written in the same transaction
/// as the state change they announce, so an event exists if and only if its change committed.
///
/// Times are integer milliseconds since the epoch (as the instance rows keep them) because the
/// dispatcher compares and adds to them in SQL when it claims and reschedules.
public enum OutboxSchema {
    /// The table of intents.
    public static let table = "outbox_intents"

    /// `outbox_intents`: one row per event, from `pending` to `delivered` or `dead`.
    public static let migrations = MigrationSet(module: "outbox", migrations: [
        Migration(version: 1, name: "create outbox_intents", statements: [
            """
            CREATE TABLE outbox_intents (
                event_id TEXT PRIMARY KEY,
                topic TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                available_at BIGINT NOT NULL,
                attempts BIGINT NOT NULL,
                state TEXT NOT NULL,
                last_error TEXT,
                claim_owner TEXT,
                claim_expires_at BIGINT,
                dedupe_key TEXT
            )
            """,
            // A producer that may announce the same thing twice (a scheduled scan, a retried
            // consumer fanning out) names it; the second insert is ignored. NULLs never collide.
            "CREATE UNIQUE INDEX outbox_intents_dedupe ON outbox_intents (dedupe_key)",
            // The dispatcher's claim scans due pending rows oldest first.
            "CREATE INDEX outbox_intents_due ON outbox_intents (state, available_at)",
        ]),
    ])
}

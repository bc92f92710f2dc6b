import PlatformStore

/// The `notification` module's schema: the in-app feed, webhook endpoints and preferences.
/// Delivery intents live in the store layer's outbox (`outbox_intents`), not here.
public enum NotificationSchema {
    /// Migrations of the `notification` module.
    public static let migrations = MigrationSet(module: "notification", migrations: [
        Migration(version: 1, name: "create feed, webhook endpoints and preferences", statements: [
            // One row per event and recipient; the event id makes a re-delivered event a no-op.
            """
            CREATE TABLE notification_feed (
                event_id TEXT NOT NULL,
                principal_id TEXT NOT NULL,
                project_id TEXT NOT NULL,
                tenant_id TEXT NOT NULL,
                template TEXT NOT NULL,
                severity TEXT NOT NULL,
                category TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                PRIMARY KEY (event_id, principal_id)
            )
            """,
            // Feed order is commit order, not event-id order: fan-outs finish out of event order
            // (concurrent deliveries, retries), and a reader whose cursor passed a newer event
            // must still get an older one written after it. `seq` is MAX + 1 under the fan-out's
            // lock, unique, so it only grows in commit order.
            "CREATE UNIQUE INDEX notification_feed_seq ON notification_feed (seq)",
            "CREATE INDEX notification_feed_principal ON notification_feed (principal_id, seq)",
            // One row per notification event fanned out: the fan-out consumer's idempotency key,
            // so a re-delivered event (after a crash or an expired claim) changes nothing, even if
            // preferences or endpoints changed in between.
            """
            CREATE TABLE notification_fanouts (
                event_id TEXT PRIMARY KEY,
                template TEXT NOT NULL,
                project_id TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE notification_webhooks (
                id TEXT PRIMARY KEY,
                project_id TEXT NOT NULL,
                tenant_id TEXT NOT NULL,
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                templates TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                disabled_at BIGINT,
                disabled_reason TEXT
            )
            """,
            "CREATE INDEX notification_webhooks_project ON notification_webhooks (project_id)",
            """
            CREATE TABLE notification_preferences (
                principal_id TEXT NOT NULL,
                project_id TEXT NOT NULL,
                muted TEXT NOT NULL,
                email TEXT,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (principal_id, project_id)
            )
            """,
        ]),
    ])
}

import PlatformStore

/// The `metering` module's tables: the durable usage-event log (the buffer rating reads) and
/// the rating queue.
public enum MeteringSchema {
    /// Migrations of the `metering` module.
    public static let migrations = MigrationSet(module: "metering", migrations: [
        Migration(version: 1, name: "create usage events", statements: [
            """
            CREATE TABLE metering_usage_events (
                source TEXT NOT NULL, id TEXT NOT NULL, unit TEXT NOT NULL, quantity BIGINT NOT NULL,
                project_id TEXT NOT NULL, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (source, id)
            )
            """,
            "CREATE INDEX metering_usage_events_project ON metering_usage_events (project_id, occurred_at)",
        ]),
        // Attribution for rating and statements (tenant, product, app, instance), the unit's
        // registry version, corrections, and the rating queue: an event is inserted into the
        // queue in the transaction that stores it and leaves it in the transaction that rates
        // and posts it, so nothing is skipped or rated twice, whatever crashes in between.
        Migration(version: 2, name: "usage attribution and rating queue", statements: [
            "ALTER TABLE metering_usage_events ADD COLUMN unit_version INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE metering_usage_events ADD COLUMN tenant_id TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE metering_usage_events ADD COLUMN product TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE metering_usage_events ADD COLUMN app TEXT",
            "ALTER TABLE metering_usage_events ADD COLUMN instance_id TEXT",
            "ALTER TABLE metering_usage_events ADD COLUMN corrects TEXT",
            "CREATE INDEX metering_usage_events_tenant ON metering_usage_events (tenant_id, occurred_at)",
            // total(project:unit:since:): a unit or a unit family (`gpu-hour.*` is a range on unit).
            "CREATE INDEX metering_usage_events_unit ON metering_usage_events (project_id, unit, occurred_at)",
            // Whether an event has been corrected (totals count only the correction).
            "CREATE INDEX metering_usage_events_corrects ON metering_usage_events (source, corrects)",
            """
            CREATE TABLE metering_rating_queue (
                source TEXT NOT NULL, id TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_ms BIGINT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
                PRIMARY KEY (source, id)
            )
            """,
            "CREATE INDEX metering_rating_queue_order ON metering_rating_queue (recorded_ms)",
        ]),
    ])
}

import PlatformStore

/// The `policy` module's schema: immutable snapshots, one row per change.
///
/// `version` is the primary key, so two replicas writing the next snapshot at once cannot both
/// win: the loser's insert conflicts and it re-reads and retries on the new newest snapshot.
public enum PolicySchema {
    /// The table of snapshots.
    public static let table = "policy_snapshots"

    /// Migrations of the `policy` module.
    public static let migrations = MigrationSet(module: "policy", migrations: [
        Migration(version: 1, name: "create policy_snapshots", statements: [
            """
            CREATE TABLE policy_snapshots (
                version BIGINT PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                reason TEXT NOT NULL,
                document TEXT NOT NULL
            )
            """,
        ]),
    ])
}

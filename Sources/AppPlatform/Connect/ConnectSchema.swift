import PlatformStore

/// The connect sessions' table. Secrets are stored only as SHA-256 hashes: the bearer token,
/// the one-time launch code and the browser cookie each have their own.
public enum ConnectSchema {
    /// Migrations of the `connect` module.
    public static let migrations = MigrationSet(module: "connect", migrations: [
        Migration(version: 1, name: "create connect sessions", statements: [
            """
            CREATE TABLE apps_connect_sessions (
                id TEXT PRIMARY KEY, instance_id TEXT NOT NULL, project_id TEXT NOT NULL, tenant_id TEXT NOT NULL,
                principal_id TEXT NOT NULL, action TEXT NOT NULL, type TEXT NOT NULL, endpoint TEXT NOT NULL,
                host TEXT NOT NULL, port INTEGER NOT NULL,
                token_hash TEXT NOT NULL, launch_hash TEXT, launch_expires_ms BIGINT, cookie_hash TEXT,
                created_at TEXT NOT NULL, expires_at_ms BIGINT NOT NULL, ended_at TEXT, ended_reason TEXT
            )
            """,
            "CREATE INDEX apps_connect_sessions_instance ON apps_connect_sessions (instance_id)",
            "CREATE INDEX apps_connect_sessions_project ON apps_connect_sessions (project_id, created_at)",
        ]),
        // A session keeps the path handling its action had when it opened (ConnectPathPrefix).
        Migration(version: 2, name: "connect sessions path prefix", statements: [
            "ALTER TABLE apps_connect_sessions ADD COLUMN path_prefix TEXT NOT NULL DEFAULT 'strip'",
        ]),
    ])
}

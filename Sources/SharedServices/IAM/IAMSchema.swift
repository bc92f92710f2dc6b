import PlatformStore

/// The `iam` module's tables.
public enum IAMSchema {
    /// Migrations of the `iam` module.
    public static let migrations = MigrationSet(module: "iam", migrations: [
        Migration(version: 1, name: "create tenants, projects, principals, memberships and API keys", statements: [
            "CREATE TABLE iam_tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)",
            """
            CREATE TABLE iam_projects (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES iam_tenants (id),
                name TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (tenant_id, name)
            )
            """,
            """
            CREATE TABLE iam_principals (
                id TEXT PRIMARY KEY, tenant_id TEXT, kind TEXT NOT NULL, name TEXT NOT NULL,
                created_at TEXT NOT NULL, deleted_at TEXT
            )
            """,
            "CREATE UNIQUE INDEX iam_principals_name ON iam_principals (tenant_id, name)",
            """
            CREATE TABLE iam_memberships (
                principal_id TEXT NOT NULL REFERENCES iam_principals (id),
                reach TEXT NOT NULL, reach_id TEXT NOT NULL, role TEXT NOT NULL, created_at TEXT NOT NULL,
                PRIMARY KEY (principal_id, reach, reach_id, role)
            )
            """,
            """
            CREATE TABLE iam_api_keys (
                id TEXT PRIMARY KEY, principal_id TEXT NOT NULL REFERENCES iam_principals (id),
                tenant_id TEXT, project_id TEXT, scopes TEXT NOT NULL, secret_hash TEXT NOT NULL,
                created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT, replaced_by TEXT,
                registry_version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX iam_api_keys_principal ON iam_api_keys (principal_id)",
        ]),
        Migration(version: 2, name: "create web console sessions", statements: [
            """
            CREATE TABLE iam_web_sessions (
                id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, key_id TEXT NOT NULL REFERENCES iam_api_keys (id),
                principal_id TEXT NOT NULL REFERENCES iam_principals (id), csrf_token TEXT NOT NULL,
                created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT
            )
            """,
            "CREATE INDEX iam_web_sessions_key ON iam_web_sessions (key_id)",
        ]),
    ])
}

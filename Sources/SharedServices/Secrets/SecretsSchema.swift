import PlatformStore

/// The `secrets` module's tables.
public enum SecretsSchema {
    /// Migrations of the `secrets` module.
    public static let migrations = MigrationSet(module: "secrets", migrations: [
        Migration(version: 1, name: "create signing keys", statements: [
            """
            CREATE TABLE secrets_signing_keys (
                project_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, purpose TEXT NOT NULL,
                public_key_pem TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
                revoked_at TEXT, replaced_by TEXT, PRIMARY KEY (project_id, id)
            )
            """,
        ]),
    ])
}

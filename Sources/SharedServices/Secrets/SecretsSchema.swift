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
        // Runtime secret custody: a secret per (project, name) with its registered purpose and
        // current version; each version's value sealed under its own data key, wrapped by a
        // master key (base64 text columns: the same bytes on SQLite and PostgreSQL).
        Migration(version: 2, name: "create secrets and secret versions", statements: [
            """
            CREATE TABLE secrets_secrets (
                project_id TEXT NOT NULL, name TEXT NOT NULL, purpose TEXT NOT NULL, current_version INTEGER NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
                PRIMARY KEY (project_id, name)
            )
            """,
            """
            CREATE TABLE secrets_versions (
                project_id TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, ciphertext TEXT NOT NULL,
                wrapped_key TEXT NOT NULL, master_key_id TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
                PRIMARY KEY (project_id, name, version)
            )
            """,
            "CREATE INDEX secrets_versions_master_key ON secrets_versions (master_key_id)",
        ]),
    ])
}

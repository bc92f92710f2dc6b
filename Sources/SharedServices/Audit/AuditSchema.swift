import PlatformStore

/// The `audit` module's tables: the hash-chained log, its head and the signed checkpoints.
public enum AuditSchema {
    /// Migrations of the `audit` module.
    public static let migrations = MigrationSet(module: "audit", migrations: [
        Migration(version: 1, name: "create audit log, head and checkpoints", statements: [
            """
            CREATE TABLE audit_log (
                seq BIGINT PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                time TEXT NOT NULL,
                tenant_id TEXT,
                project_id TEXT,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                outcome TEXT NOT NULL,
                request_id TEXT,
                details TEXT NOT NULL,
                leaf_hash TEXT NOT NULL,
                chain_hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_tenant_seq ON audit_log (tenant_id, seq)",
            "CREATE TABLE audit_head (id BIGINT PRIMARY KEY, size BIGINT NOT NULL, chain_hash TEXT NOT NULL)",
            "INSERT INTO audit_head (id, size, chain_hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
            """
            CREATE TABLE audit_checkpoints (
                size BIGINT PRIMARY KEY,
                root_hash TEXT NOT NULL,
                note TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
        ]),
    ])
}

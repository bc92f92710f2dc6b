import PlatformStore

/// The `evidence` module's tables: every evidence statement the platform accepted (artifact
/// referrers and release bundle statements alike), the shared operating record; and releases
/// with their evidence, approvals and signed decisions.
public enum EvidenceSchema {
    /// Migrations of the `evidence` module.
    public static let migrations = MigrationSet(module: "evidence", migrations: [
        Migration(version: 1, name: "evidence records, releases, approvals, decisions", statements: [
            """
            CREATE TABLE evidence_records (
                id TEXT PRIMARY KEY, type TEXT NOT NULL, subject TEXT NOT NULL, document TEXT NOT NULL,
                predicate_type TEXT NOT NULL, key_id TEXT NOT NULL, signer TEXT NOT NULL, attached_by TEXT NOT NULL,
                project_id TEXT, retention_class TEXT NOT NULL, facts TEXT NOT NULL, recorded_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX evidence_records_subject ON evidence_records (subject, recorded_at)",
            """
            CREATE TABLE releases (
                id TEXT PRIMARY KEY, project_id TEXT NOT NULL, tenant_id TEXT NOT NULL, environment TEXT NOT NULL,
                artifacts TEXT NOT NULL, source_sha TEXT NOT NULL, branch TEXT NOT NULL, state TEXT NOT NULL,
                created_by TEXT NOT NULL, created_at TEXT NOT NULL, correlation_ids TEXT NOT NULL, promoted_at TEXT
            )
            """,
            "CREATE INDEX releases_project ON releases (project_id, created_at)",
            """
            CREATE TABLE release_evidence (
                id TEXT PRIMARY KEY, release_id TEXT NOT NULL, type TEXT NOT NULL, predicate_type TEXT NOT NULL,
                envelope TEXT NOT NULL, key_id TEXT NOT NULL, signer TEXT NOT NULL, attached_by TEXT NOT NULL,
                attached_at TEXT NOT NULL, platform_made INTEGER NOT NULL, facts TEXT NOT NULL,
                seq BIGINT NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX release_evidence_release ON release_evidence (release_id, attached_at)",
            """
            CREATE TABLE release_approvals (
                release_id TEXT NOT NULL, approver TEXT NOT NULL, role TEXT NOT NULL, comment TEXT NOT NULL,
                approved_at TEXT NOT NULL, envelope TEXT NOT NULL, PRIMARY KEY (release_id, approver, role)
            )
            """,
            """
            CREATE TABLE release_decisions (
                id TEXT PRIMARY KEY, release_id TEXT NOT NULL, project_id TEXT NOT NULL, environment TEXT NOT NULL,
                result TEXT NOT NULL, document TEXT NOT NULL, envelope TEXT NOT NULL, policy_snapshot TEXT NOT NULL,
                decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, seq BIGINT NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX release_decisions_release ON release_decisions (release_id, decided_at)",
            "CREATE INDEX release_decisions_project ON release_decisions (project_id, environment, result)",
        ]),
    ])
}

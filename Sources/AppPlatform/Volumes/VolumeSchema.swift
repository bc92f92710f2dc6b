import PlatformStore

/// The persistent volumes' table: one row per project volume (its name unique in the
/// project), with the size that counts against `quota.volume_bytes` and the adapter whose
/// storage holds its data. Which instances mount a volume is read from the instances'
/// launch specs (``VolumeMount/volumeId``), never copied here.
public enum VolumeSchema {
    /// Migrations of the `volumes` module.
    public static let migrations = MigrationSet(module: "volumes", migrations: [
        Migration(version: 1, name: "create persistent volumes", statements: [
            """
            CREATE TABLE apps_volumes (
                id TEXT PRIMARY KEY, project_id TEXT NOT NULL, tenant_id TEXT NOT NULL, name TEXT NOT NULL,
                size_mib BIGINT NOT NULL, adapter TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX apps_volumes_project_name ON apps_volumes (project_id, name)",
        ]),
    ])
}

import PlatformStore

/// The `artifacts` module's tables. Blob bytes live in the content-addressed blob store;
/// these rows say which repository may see which blob, manifest and tag.
public enum ArtifactSchema {
    /// Migrations of the `artifacts` module.
    public static let migrations = MigrationSet(module: "artifacts", migrations: [
        Migration(version: 1, name: "create repositories, blob links, manifests, tags, uploads and trust states", statements: [
            "CREATE TABLE artifacts_repositories (name TEXT PRIMARY KEY, project_id TEXT NOT NULL, created_at TEXT NOT NULL)",
            """
            CREATE TABLE artifacts_blob_links (
                repository TEXT NOT NULL, digest TEXT NOT NULL, size BIGINT NOT NULL, created_at TEXT NOT NULL,
                PRIMARY KEY (repository, digest)
            )
            """,
            """
            CREATE TABLE artifacts_manifests (
                repository TEXT NOT NULL, digest TEXT NOT NULL, media_type TEXT NOT NULL, artifact_type TEXT,
                subject TEXT, annotations TEXT, size BIGINT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (repository, digest)
            )
            """,
            "CREATE INDEX artifacts_manifests_subject ON artifacts_manifests (subject)",
            """
            CREATE TABLE artifacts_manifest_refs (
                repository TEXT NOT NULL, manifest TEXT NOT NULL, child TEXT NOT NULL,
                PRIMARY KEY (repository, manifest, child)
            )
            """,
            "CREATE INDEX artifacts_manifest_refs_child ON artifacts_manifest_refs (child)",
            """
            CREATE TABLE artifacts_tags (
                repository TEXT NOT NULL, tag TEXT NOT NULL, digest TEXT NOT NULL, updated_at TEXT NOT NULL,
                PRIMARY KEY (repository, tag)
            )
            """,
            "CREATE TABLE artifacts_uploads (id TEXT PRIMARY KEY, repository TEXT NOT NULL, created_at TEXT NOT NULL)",
            """
            CREATE TABLE artifacts_trust (
                project_id TEXT NOT NULL, digest TEXT NOT NULL, repository TEXT NOT NULL, type_id TEXT NOT NULL,
                state TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (project_id, digest)
            )
            """,
        ]),
        Migration(version: 2, name: "record who put an artifact in a side state", statements: [
            // `platform`, `tenant` or `project`: the reach of the key that quarantined or
            // revoked it; a narrower reach may not release it.
            "ALTER TABLE artifacts_trust ADD COLUMN held_by TEXT",
        ]),
    ])
}

import PlatformStore

/// The `apps` module's tables.
public enum AppCatalogSchema {
    /// Migrations of the `apps` module.
    public static let migrations = MigrationSet(module: "apps", migrations: [
        Migration(version: 1, name: "create apps catalog", statements: [
            """
            CREATE TABLE apps_catalog (
                project_id TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, digest TEXT NOT NULL,
                manifest TEXT NOT NULL, registry_versions TEXT NOT NULL, registered_by TEXT NOT NULL,
                registered_at TEXT NOT NULL, PRIMARY KEY (project_id, name, version)
            )
            """,
        ]),
    ])
}

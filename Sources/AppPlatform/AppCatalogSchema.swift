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
        // The platform-wide curated catalog: (app, version) pinned to a registered manifest
        // of a platform-owned project and that image's manifest digest, at publish time.
        Migration(version: 2, name: "create platform catalog", statements: [
            """
            CREATE TABLE apps_platform_catalog (
                app TEXT NOT NULL, version TEXT NOT NULL, description TEXT, state TEXT NOT NULL,
                source_project_id TEXT NOT NULL, source_tenant_id TEXT NOT NULL, manifest_digest TEXT NOT NULL,
                repository TEXT NOT NULL, image_digest TEXT NOT NULL, trust_at_publish TEXT NOT NULL,
                published_by TEXT NOT NULL, published_at TEXT NOT NULL, deprecation_message TEXT, replacement TEXT,
                deprecated_by TEXT, deprecated_at TEXT, PRIMARY KEY (app, version)
            )
            """,
        ]),
    ])
}

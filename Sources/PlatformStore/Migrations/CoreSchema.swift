/// The `core` module's schema: what the platform itself keeps outside any module.
public enum CoreSchema {
    /// `platform_settings`: small key–value facts such as the installation id.
    public static let migrations = MigrationSet(module: "core", migrations: [
        Migration(version: 1, name: "create platform_settings", statements: [
            """
            CREATE TABLE platform_settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
        ]),
    ])
}

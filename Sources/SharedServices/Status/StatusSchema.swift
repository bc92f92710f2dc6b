import PlatformStore

/// The `status` module's tables: each component's current condition and its history (fed by
/// the health checks), incidents with their timelines, and maintenance windows.
/// `status_components.health` is the condition the checks alone give; `condition` is the
/// effective one (checks, open incidents and active windows), whose changes the history records.
public enum StatusSchema {
    /// Migrations of the `status` module.
    public static let migrations = MigrationSet(module: "status", migrations: [
        Migration(version: 1, name: "components, history, incidents, maintenance", statements: [
            """
            CREATE TABLE status_components (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, condition TEXT NOT NULL, since TEXT NOT NULL,
                version TEXT, checks TEXT NOT NULL, updated_at TEXT NOT NULL, health TEXT NOT NULL DEFAULT 'operational'
            )
            """,
            """
            CREATE TABLE status_component_history (
                id TEXT PRIMARY KEY, component TEXT NOT NULL, condition TEXT NOT NULL, at TEXT NOT NULL, cause TEXT NOT NULL
            )
            """,
            "CREATE INDEX status_component_history_component ON status_component_history (component, at)",
            """
            CREATE TABLE status_incidents (
                id TEXT PRIMARY KEY, title TEXT NOT NULL, impact TEXT NOT NULL, state TEXT NOT NULL, components TEXT NOT NULL,
                opened_by TEXT NOT NULL, opened_at TEXT NOT NULL, resolved_at TEXT
            )
            """,
            """
            CREATE TABLE status_incident_updates (
                id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, state TEXT NOT NULL, message TEXT NOT NULL, author TEXT NOT NULL,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX status_incident_updates_incident ON status_incident_updates (incident_id, at)",
            """
            CREATE TABLE status_maintenance (
                id TEXT PRIMARY KEY, title TEXT NOT NULL, components TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,
                effect TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL, cancelled_at TEXT
            )
            """,
            "CREATE INDEX status_maintenance_window ON status_maintenance (ends_at)",
        ]),
    ])
}

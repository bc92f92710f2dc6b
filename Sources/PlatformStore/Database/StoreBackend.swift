/// The SQL dialect family behind a store; the one place code may branch on it is where
/// the two databases need different words for the same thing (transaction start, locks).
public enum StoreBackend: String, Sendable, Codable {
    /// Embedded SQLite in WAL mode.
    case sqlite
    /// PostgreSQL.
    case postgres
}

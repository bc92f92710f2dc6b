import Synchronization

/// Which schema each pooled SQLite connection has looked at since the last migration.
///
/// SQLite caches the schema per connection and expands `SELECT *` from that cache when it
/// prepares a statement; SQLiteNIO reads the result's column names before the first step.
/// A connection that had not read the schema since another connection's `ALTER TABLE` so
/// returned rows without the new column (`MissingColumn`), and platformd could not load its
/// instances to re-attach them after an upgrade. The migrator bumps the generation after
/// each migration it applies; a connection handed out with an older one first runs a
/// statement that reads `sqlite_schema`, which makes SQLite notice the changed schema
/// cookie and reload its cache.
final class SchemaGeneration: Sendable {
    private struct State {
        var current = 0
        var seen: [ObjectIdentifier: Int] = [:]
    }

    private let state = Mutex(State())

    /// A migration changed the schema: every connection must reload it before its next use.
    func bump() {
        state.withLock { $0.current += 1 }
    }

    /// Whether `connection` must reload the schema; marks it current either way.
    func needsReload(_ connection: ObjectIdentifier) -> Bool {
        state.withLock { state in
            let stale = state.seen[connection] != state.current
            state.seen[connection] = state.current
            return stale && state.current > 0
        }
    }

    /// Forgets a connection, so a reused one cannot inherit its mark (a new connection reads
    /// the schema fresh anyway, so this only costs one extra reload at worst).
    func markStale(_ connection: ObjectIdentifier) {
        state.withLock { _ = $0.seen.removeValue(forKey: connection) }
    }
}

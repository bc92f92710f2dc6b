import PlatformContracts
import SQLKit

/// Small durable key–value facts of the installation (`platform_settings`).
///
/// ```swift
/// let settings = PlatformSettings(store: store)
/// let id = try await settings.installationID()   // created once, stable across restarts
/// ```
public struct PlatformSettings: Sendable {
    private static let table = "platform_settings"
    /// The key of the installation id.
    public static let installationIDKey = "installation_id"

    private let store: SQLStore

    /// Wraps a migrated store.
    public init(store: SQLStore) {
        self.store = store
    }

    /// Reads a value.
    public func value(for key: String) async throws -> String? {
        try await store.read { db in
            try await db.select().column("value").from(Self.table).where("key", .equal, key)
                .first()?.decode(column: "value", as: String.self)
        }
    }

    /// Writes a value, replacing any previous one.
    public func set(_ value: String, for key: String) async throws {
        try await store.transaction { db in
            try await db.insert(into: Self.table)
                .columns("key", "value", "updated_at")
                .values(SQLBind(key), SQLBind(value), SQLBind(Timestamp.now().rfc3339))
                .onConflict(with: ["key"]) { $0.set(excludedValueOf: "value").set(excludedValueOf: "updated_at") }
                .run()
        }
    }

    /// Inserts `value` only when the key is absent; returns the value that is stored.
    public func setIfAbsent(_ value: String, for key: String) async throws -> String {
        try await store.transaction { db in
            try await db.insert(into: Self.table)
                .columns("key", "value", "updated_at")
                .values(SQLBind(key), SQLBind(value), SQLBind(Timestamp.now().rfc3339))
                .ignoringConflicts(with: ["key"])
                .run()
            return try await db.select().column("value").from(Self.table).where("key", .equal, key)
                .first()!.decode(column: "value", as: String.self)
        }
    }

    /// The id this installation got on its first start.
    public func installationID() async throws -> String {
        try await setIfAbsent(ULID().description, for: Self.installationIDKey)
    }
}

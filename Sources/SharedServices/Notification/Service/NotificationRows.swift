import Foundation
import PlatformContracts
import SQLKit

/// Reads and writes `notification_preferences`; `muted` is a JSON array of template ids.
enum NotificationPreferenceRows {
    /// One principal's preferences in one project; defaults (nothing muted, no email) when unset.
    static func read(principal: String, project: String, in db: any SQLDatabase) async throws -> NotificationPreferenceSettings {
        guard let row = try await db.raw("""
            SELECT muted, email FROM notification_preferences
            WHERE principal_id = \(bind: principal) AND project_id = \(bind: project)
            """).first() else { return NotificationPreferenceSettings() }
        return NotificationPreferenceSettings(
            muted: JSONList.decode(try row.decode(column: "muted", as: String.self)),
            email: try row.decode(column: "email", as: String?.self))
    }

    /// Replaces one principal's preferences in one project.
    static func write(_ settings: NotificationPreferenceSettings, principal: String, project: String, now: Int64,
                      in db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO notification_preferences (principal_id, project_id, muted, email, updated_at)
            VALUES (\(bind: principal), \(bind: project), \(bind: JSONList.encode(settings.muted)), \(bind: settings.email), \(bind: now))
            ON CONFLICT (principal_id, project_id) DO UPDATE
            SET muted = excluded.muted, email = excluded.email, updated_at = excluded.updated_at
            """).run()
    }
}

/// Reads `notification_webhooks`; `templates` is a JSON array of template ids (empty: all).
enum WebhookRows {
    struct Row {
        var endpoint: WebhookEndpoint
        var secret: String
    }

    static let columns: SQLQueryString = "id, project_id, url, secret, templates, created_at, created_by, disabled_at"

    /// A project's endpoints that the receiver has not disabled.
    static func active(project: String, in db: any SQLDatabase) async throws -> [WebhookEndpoint] {
        try await db.raw("""
            SELECT \(columns) FROM notification_webhooks
            WHERE project_id = \(bind: project) AND disabled_at IS NULL ORDER BY id
            """).all().map { try decode($0).endpoint }
    }

    /// A project's endpoints, disabled ones included.
    static func all(project: String, in db: any SQLDatabase) async throws -> [WebhookEndpoint] {
        try await db.raw("SELECT \(columns) FROM notification_webhooks WHERE project_id = \(bind: project) ORDER BY id")
            .all().map { try decode($0).endpoint }
    }

    /// One endpoint with its secret, for delivery.
    static func find(_ id: String, in db: any SQLDatabase) async throws -> Row? {
        try await db.raw("SELECT \(columns) FROM notification_webhooks WHERE id = \(bind: id)").first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> Row {
        let disabled = try row.decode(column: "disabled_at", as: Int64?.self)
        return Row(
            endpoint: WebhookEndpoint(
                id: try row.decode(column: "id", as: String.self),
                project: try row.decode(column: "project_id", as: String.self),
                url: try row.decode(column: "url", as: String.self),
                templates: JSONList.decode(try row.decode(column: "templates", as: String.self)),
                createdAt: rfc3339(try row.decode(column: "created_at", as: Int64.self)),
                createdBy: try row.decode(column: "created_by", as: String.self),
                disabledAt: disabled.map(rfc3339)),
            secret: try row.decode(column: "secret", as: String.self))
    }
}

/// A list of strings stored as JSON text (sorted, so equal sets are equal text).
enum JSONList {
    static func encode(_ values: [String]) -> String {
        let data = (try? JSONEncoder().encode(Array(Set(values)).sorted())) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}

/// Milliseconds since the epoch as RFC 3339.
func rfc3339(_ milliseconds: Int64) -> String {
    Timestamp(millisecondsSinceEpoch: UInt64(max(0, milliseconds))).rfc3339
}

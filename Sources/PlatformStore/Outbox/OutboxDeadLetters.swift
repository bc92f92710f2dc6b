import PlatformContracts
import SQLKit

/// Dead-lettered intents as operators see them: the outbox's table is read only here, in the
/// store layer that owns it (``OutboxDispatcher/retry(deadLetter:)`` puts one back).
public enum OutboxDeadLetters {
    /// The dead intents, oldest first, at most `limit` (clamped to 1…500).
    public static func read(limit: Int, from db: any SQLDatabase) async throws -> [DeadLetterIntent] {
        let limit = Int64(min(max(limit, 1), 500))
        return try await db.raw("""
            SELECT event_id, topic, attempts, last_error, created_at FROM \(ident: OutboxSchema.table)
            WHERE state = \(bind: OutboxState.dead.rawValue) ORDER BY event_id LIMIT \(bind: limit)
            """).all().map { row in
            DeadLetterIntent(
                eventId: try row.decode(column: "event_id", as: String.self),
                topic: try row.decode(column: "topic", as: String.self),
                attempts: Int(try row.decode(column: "attempts", as: Int64.self)),
                lastError: try row.decode(column: "last_error", as: String?.self),
                createdAt: Timestamp(millisecondsSinceEpoch: UInt64(max(0, try row.decode(column: "created_at", as: Int64.self)))).rfc3339)
        }
    }
}

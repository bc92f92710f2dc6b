import PlatformContracts
import SQLKit

/// The outbox's health in numbers, for metrics and `/readyz`: a growing backlog or an old
/// oldest intent means events are not reaching their receivers.
public struct OutboxCounts: Sendable, Hashable {
    /// Intents waiting for delivery.
    public var pending: Int
    /// How long the oldest pending intent has waited since it was written; `nil` when none.
    public var oldestPendingAge: Duration?
    /// Failed delivery attempts recorded on the intents still in the table.
    public var failures: Int
    /// Dead-lettered intents.
    public var dead: Int

    /// Creates counts (tests compare against them).
    public init(pending: Int, oldestPendingAge: Duration?, failures: Int, dead: Int) {
        self.pending = pending
        self.oldestPendingAge = oldestPendingAge
        self.failures = failures
        self.dead = dead
    }

    /// Reads the counts in one query (sums are cast to `BIGINT`: PostgreSQL sums a `BIGINT`
    /// column as `NUMERIC`).
    /// - Parameters:
    ///   - db: Any connection (``SQLStore/read(_:)``).
    ///   - now: The clock's current time, to age the oldest intent.
    public static func read(from db: any SQLDatabase, now: Timestamp) async throws -> OutboxCounts {
        let row = try await db.raw("""
            SELECT
              CAST(COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT) AS pending,
              MIN(CASE WHEN state = 'pending' THEN created_at END) AS oldest,
              CAST(COALESCE(SUM(CASE WHEN state = 'delivered' THEN attempts - 1 ELSE attempts END), 0) AS BIGINT) AS failures,
              CAST(COALESCE(SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END), 0) AS BIGINT) AS dead
            FROM \(ident: OutboxSchema.table)
            """).first()
        guard let row else { return OutboxCounts(pending: 0, oldestPendingAge: nil, failures: 0, dead: 0) }
        let oldest = try row.decode(column: "oldest", as: Int64?.self)
        return OutboxCounts(
            pending: try row.decode(column: "pending", as: Int.self),
            oldestPendingAge: oldest.map { .milliseconds(max(0, Int64(now.millisecondsSinceEpoch) - $0)) },
            failures: try row.decode(column: "failures", as: Int.self),
            dead: try row.decode(column: "dead", as: Int.self)
        )
    }
}

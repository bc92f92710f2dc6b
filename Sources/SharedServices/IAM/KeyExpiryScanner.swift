import Logging
import PlatformContracts
import PlatformStore
import SQLKit
import ServiceLifecycle

/// Warns a key's principal before the key expires (`key.expiring`, a security notice that
/// cannot be muted): a `Service` that scans `iam_api_keys` every ``interval`` of the injected
/// clock and writes one notification per key per window — 7 days and 1 day before expiry.
///
/// A scan may run any number of times (every replica runs one, a restart rescans): each
/// notice carries the dedupe key `key.expiring/<key id>/<window>`, so the outbox keeps the
/// first and drops the rest. A key already inside the 1-day window gets only that notice,
/// not a late 7-day one too; a key whose whole lifetime is shorter than a window gets no
/// notice for it (its holder chose the expiry moments ago). Revoked keys and keys replaced
/// by a rotation are skipped: nobody needs to act on them.
public struct KeyExpiryScanner: Service {
    /// A warning window: its name in the dedupe key and how long before expiry it opens.
    public struct Window: Sendable, Hashable {
        /// `7d`, `1d`.
        public var name: String
        /// How long before expiry.
        public var before: Duration

        /// Creates a window.
        public init(name: String, before: Duration) {
            self.name = name
            self.before = before
        }
    }

    /// The windows, widest first: 7 days and 1 day.
    public static let standardWindows = [Window(name: "7d", before: .seconds(7 * 86_400)), Window(name: "1d", before: .seconds(86_400))]

    let store: SQLStore
    let outbox: OutboxWriter
    let clock: any PlatformClock
    /// The wait between scans.
    public let interval: Duration
    let windows: [Window]
    let logger: Logger

    /// Creates a scanner.
    /// - Parameters:
    ///   - store: The database holding the `iam` and `outbox` modules' tables.
    ///   - clock: Decides what "within 7 days" means and paces the scans (``ManualClock`` in tests).
    ///   - interval: The wait between scans (default hourly; a 1-day window needs far less than a day).
    ///   - windows: Widest first.
    ///   - logger: Receives a failed scan (the next one retries).
    public init(store: SQLStore, clock: any PlatformClock = SystemClock(), interval: Duration = .seconds(3600),
                windows: [Window] = standardWindows, logger: Logger = Logger(label: "platform.iam.key-expiry")) {
        self.store = store
        self.outbox = OutboxWriter(clock: clock)
        self.clock = clock
        self.interval = interval
        self.windows = windows.sorted { $0.before > $1.before }
        self.logger = logger
    }

    /// Scans now, then every ``interval``, until cancelled or the group shuts down gracefully.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await scan()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("key expiry scan failed", metadata: ["error": "\(error)"])
                }
                try await clock.sleep(for: interval)
            }
        }
    }

    /// Writes the notices due now, in one transaction.
    /// - Returns: How many notices it wrote (those already written before are not counted).
    @discardableResult
    public func scan() async throws -> Int {
        let now = clock.now()
        let nowMs = Int64(now.millisecondsSinceEpoch)
        guard let widest = windows.first else { return 0 }
        let horizon = Timestamp(millisecondsSinceEpoch: UInt64(nowMs + widest.before.wholeMilliseconds + 1000)).rfc3339
        let (outbox, windows) = (self.outbox, self.windows)
        return try await store.transaction { db in
            // A coarse text filter (RFC 3339 in UTC sorts as time); each row is checked exactly below.
            let rows = try await db.raw("""
                SELECT id, principal_id, tenant_id, project_id, created_at, expires_at FROM iam_api_keys
                WHERE revoked_at IS NULL AND replaced_by IS NULL AND expires_at <= \(bind: horizon)
                ORDER BY id
                """).all()
            var written = 0
            for row in rows {
                let expiresText = try row.decode(column: "expires_at", as: String.self)
                guard let expires = Timestamp(rfc3339: expiresText),
                      let created = Timestamp(rfc3339: try row.decode(column: "created_at", as: String.self)) else { continue }
                let left = Int64(expires.millisecondsSinceEpoch) - nowMs
                let lifetime = Int64(expires.millisecondsSinceEpoch) - Int64(created.millisecondsSinceEpoch)
                guard left > 0, let window = windows.last(where: { left <= $0.before.wholeMilliseconds && lifetime > $0.before.wholeMilliseconds })
                else { continue }
                let id = try row.decode(column: "id", as: String.self)
                let event = NotificationEvent(
                    template: "key.expiring", project: try row.decode(column: "project_id", as: String?.self) ?? "",
                    tenant: try row.decode(column: "tenant_id", as: String?.self) ?? "",
                    recipients: [try row.decode(column: "principal_id", as: String.self)],
                    variables: ["key": id, "expires_at": expiresText], occurredAt: now)
                if try await outbox.notify(event, dedupeKey: "key.expiring/\(id)/\(window.name)", in: db) != nil { written += 1 }
            }
            return written
        }
    }
}

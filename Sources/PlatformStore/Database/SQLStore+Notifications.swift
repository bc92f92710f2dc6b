import Foundation
import Logging
import PostgresKit
import SQLKit

/// A named channel replicas tell each other about changes on (PostgreSQL `LISTEN/NOTIFY`).
public struct StoreChannel: RawRepresentable, Sendable, Hashable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// IAM keys, principals or memberships changed: read-model caches drop what they hold.
    public static let iam = StoreChannel(rawValue: "platform_iam")
    /// Connect sessions ended or changed: every replica closes or re-reads its copies. The
    /// payload says which (``ConnectSessionChange`` in AppPlatform).
    public static let connect = StoreChannel(rawValue: "platform_connect")
    /// Instances: a stop asked of a replica that does not supervise the instance
    /// (`stop:ID`), so the one holding its lease acts at once rather than at its next renewal.
    public static let instances = StoreChannel(rawValue: "platform_instances")
}

/// What a listener hears.
public enum StoreChannelEvent: Sendable, Equatable {
    /// Listening (again): notifications from now on arrive. What changed while not
    /// listening is unknown, so a cache drops everything here too.
    case listening
    /// A change was committed on the channel (by any replica, this one included), with the
    /// payload its writer gave (empty when it says only "something changed").
    case notified(String)
    /// The listening connection is gone; until ``listening`` again, notifications are lost.
    case lost
}

extension SQLStore {
    /// Notifies `channel` when the transaction `db` belongs to commits (PostgreSQL delivers
    /// a `NOTIFY` only on commit, and never for a rolled-back transaction). On SQLite, which
    /// has one process per database file here, a no-op: the writer invalidates in process.
    /// - Parameter payload: What changed; PostgreSQL refuses payloads of 8,000 bytes or more.
    public func notify(_ channel: StoreChannel, payload: String = "", in db: any SQLDatabase) async throws {
        guard backend == .postgres else { return }
        precondition(payload.utf8.count < 8000, "a NOTIFY payload must be under 8000 bytes")
        try await db.raw("SELECT pg_notify(\(bind: channel.rawValue), \(bind: payload))").run()
    }

    /// Listens on `channel` until the task is cancelled, telling `onEvent` each change, and
    /// when listening starts and stops. A lost connection is reopened after `retry`. On SQLite
    /// it reports ``StoreChannelEvent/listening`` once and waits for cancellation.
    public func listen(_ channel: StoreChannel, retry: Duration = .seconds(1), logger: Logger,
                       onEvent: @escaping @Sendable (StoreChannelEvent) -> Void) async {
        guard case .postgres(let url) = location, let configuration = try? SQLPostgresConfiguration(url: url) else {
            onEvent(.listening)
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            return
        }
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration.coreConfiguration, id: attempt, logger: logger)
                do {
                    try await connection.listen(on: channel.rawValue) { notifications in
                        onEvent(.listening)
                        for try await notification in notifications { onEvent(.notified(notification.payload)) }
                    }
                } catch {
                    if !Task.isCancelled {
                        logger.warning("store channel lost", metadata: ["channel": "\(channel.rawValue)", "error": "\(error)"])
                    }
                }
                try? await connection.close()
            } catch {
                logger.warning("store channel cannot connect", metadata: ["channel": "\(channel.rawValue)", "error": "\(error)"])
            }
            onEvent(.lost)
            try? await Task.sleep(for: retry)
        }
    }
}

import PlatformStore
import SQLKit

/// What a write to the sessions' table tells the other replicas on ``StoreChannel/connect``:
/// which sessions ended (close their tunnels now) or changed (a new expiry, a redeemed launch
/// code: read them again). The payload is `ended:ID,ID…` or `changed:ID,…`.
enum ConnectSessionChange: Sendable, Equatable {
    case ended([String])
    case changed([String])

    /// Ids per notification: 250 ULIDs keep a payload far under PostgreSQL's 8,000 bytes.
    static let idsPerNotification = 250

    /// The payloads of this change, one per `idsPerNotification` ids.
    var payloads: [String] {
        let (kind, ids) = switch self {
        case .ended(let ids): ("ended", ids)
        case .changed(let ids): ("changed", ids)
        }
        return stride(from: 0, to: ids.count, by: Self.idsPerNotification).map { start in
            kind + ":" + ids[start..<min(ids.count, start + Self.idsPerNotification)].joined(separator: ",")
        }
    }

    /// The change a payload names; `nil` for anything else (ignored: a newer replica's kind).
    init?(payload: String) {
        guard let colon = payload.firstIndex(of: ":") else { return nil }
        let ids = payload[payload.index(after: colon)...].split(separator: ",").map(String.init)
        switch payload[..<colon] {
        case "ended": self = .ended(ids)
        case "changed": self = .changed(ids)
        default: return nil
        }
    }

    /// Notifies every replica when the transaction `db` belongs to commits.
    func notify(_ store: SQLStore, in db: any SQLDatabase) async throws {
        for payload in payloads { try await store.notify(.connect, payload: payload, in: db) }
    }
}

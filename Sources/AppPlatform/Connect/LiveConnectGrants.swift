import Foundation
import Synchronization

/// The live connect sessions and the tunnels open on them, in memory: what the data plane
/// checks on every request without a database read, and what an end or expiry closes at once.
///
/// A cache of the sessions' table, shaped like the IAM read model: the table is the truth.
/// A grant read more than ``budgetMs`` ago is not served (``freshGrant(_:nowMs:)``) but read
/// again, and while notifications do not arrive (``isListening`` false) nothing is served from
/// memory at all; ends and changes made on other replicas arrive on ``StoreChannel/connect``.
///
/// Grants and tunnels share one lock, so a tunnel is either registered before its session
/// ends (and closed by that end) or refused: none outlives its session. Every change of the
/// number of sessions is reported to `onCount` (the `/metrics` gauge).
final class LiveConnectGrants: Sendable {
    private struct State {
        var grants: [String: ConnectGrant] = [:]
        /// When each grant was read from (or written to) the table, in ms since the epoch.
        var loadedAtMs: [String: Int64] = [:]
        var listening = true
        /// Bumped by every end: a read begun before one is not stored (``put(_:loadedAtMs:ifUnchangedSince:)``).
        var generation: UInt64 = 0
        /// Close callbacks of open tunnels and WebSockets, per session.
        var tunnels: [String: [UUID: @Sendable () -> Void]] = [:]
    }

    private let state = Mutex(State())
    private let onCount: @Sendable (Int) -> Void
    /// How long a grant is served after it was read.
    let budgetMs: Int64

    /// An empty table reporting its size to `onCount`.
    /// - Parameters:
    ///   - budgetMs: How long a grant may be served from memory after it was read.
    ///   - listening: Whether changes made elsewhere arrive (SQLite: every writer is this
    ///     process; PostgreSQL: not until the `LISTEN` is in place).
    init(budgetMs: Int64 = 5000, listening: Bool = true, onCount: @escaping @Sendable (Int) -> Void) {
        self.budgetMs = budgetMs
        self.onCount = onCount
        state.withLock { $0.listening = listening }
    }

    /// The live grant of a session (it may have expired since the last sweep), however old.
    func grant(_ session: String) -> ConnectGrant? { state.withLock { $0.grants[session] } }

    /// The grant of a session if it may be served from memory at `nowMs`: listening, and read
    /// less than the budget ago. `nil` means "read the table" (which may still find it).
    func freshGrant(_ session: String, nowMs: Int64) -> ConnectGrant? {
        state.withLock { state in
            guard state.listening, let grant = state.grants[session],
                  nowMs - (state.loadedAtMs[session] ?? .min) < budgetMs else { return nil }
            return grant
        }
    }

    /// The held sessions read at least the budget ago at `nowMs`: what the sweep reads again,
    /// so that an end whose notification was lost still closes tunnels within the budget.
    func staleSessions(nowMs: Int64) -> [String] {
        state.withLock { state in state.grants.keys.filter { nowMs - (state.loadedAtMs[$0] ?? .min) >= budgetMs } }
    }

    /// The number of ends so far; a read that started at one value is stored only if unchanged.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Whether changes made on other replicas arrive.
    var isListening: Bool { state.withLock { $0.listening } }

    /// Notifications start or stop arriving. While they do not, nothing is served from memory.
    func setListening(_ listening: Bool) { state.withLock { $0.listening = listening } }

    /// Every held session id.
    var sessionIds: [String] { state.withLock { Array($0.grants.keys) } }

    /// The live sessions of an instance.
    func sessions(of instance: String) -> [String] {
        state.withLock { state in state.grants.values.filter { $0.instanceId == instance }.map(\.sessionId) }
    }

    /// The number of live sessions.
    var count: Int { state.withLock { $0.grants.count } }

    /// Adds (or replaces) live grants, read from or written to the table at `loadedAtMs`.
    /// - Parameter generation: The ``generation`` when the read began; if a session ended since,
    ///   nothing is stored (the read may predate that end).
    func put(_ grants: [ConnectGrant], loadedAtMs: Int64, ifUnchangedSince generation: UInt64? = nil) {
        let count = state.withLock { state in
            if let generation, generation != state.generation { return state.grants.count }
            for grant in grants {
                state.grants[grant.sessionId] = grant
                state.loadedAtMs[grant.sessionId] = loadedAtMs
            }
            return state.grants.count
        }
        onCount(count)
    }

    /// Replaces held grants with what the table says now (read at `loadedAtMs`); a session
    /// no longer held (it ended meanwhile) is not added back.
    func refresh(_ grants: [ConnectGrant], loadedAtMs: Int64) {
        state.withLock { state in
            for grant in grants where state.grants[grant.sessionId] != nil {
                state.grants[grant.sessionId] = grant
                state.loadedAtMs[grant.sessionId] = loadedAtMs
            }
        }
    }

    /// Changes a live grant in place (a new expiry, a redeemed cookie); nothing if it ended.
    func update(_ session: String, _ change: (inout ConnectGrant) -> Void) {
        state.withLock { state in
            if var grant = state.grants[session] {
                change(&grant)
                state.grants[session] = grant
            }
        }
    }

    /// Forgets sessions and closes their tunnels.
    func end(_ sessions: [String]) {
        close(state.withLock { state in
            for id in sessions { state.grants[id] = nil; state.loadedAtMs[id] = nil }
            state.generation &+= 1
            return Self.removeTunnels(of: sessions, from: &state)
        })
    }

    /// Forgets the sessions expired at `nowMs` and closes their tunnels.
    /// - Returns: Their ids.
    @discardableResult
    func expire(at nowMs: Int64) -> [String] {
        let (expired, closers) = state.withLock { state in
            let ids = state.grants.values.filter { $0.isExpired(at: nowMs) }.map(\.sessionId)
            for id in ids { state.grants[id] = nil; state.loadedAtMs[id] = nil }
            return (ids, Self.removeTunnels(of: ids, from: &state))
        }
        if !expired.isEmpty { close(closers) }
        return expired
    }

    /// Registers an open tunnel or WebSocket of a session; `close` runs when the session ends.
    /// - Returns: Its registration, or `nil` when the session is not live (close it now).
    func registerTunnel(session: String, close: @escaping @Sendable () -> Void) -> UUID? {
        state.withLock { state in
            guard state.grants[session] != nil else { return nil }
            let id = UUID()
            state.tunnels[session, default: [:]][id] = close
            return id
        }
    }

    /// Forgets a closed tunnel.
    func unregisterTunnel(session: String, id: UUID) {
        state.withLock { state in
            state.tunnels[session]?[id] = nil
            if state.tunnels[session]?.isEmpty == true { state.tunnels[session] = nil }
        }
    }

    /// The number of open tunnels and proxied WebSockets.
    var openTunnels: Int { state.withLock { $0.tunnels.values.reduce(0) { $0 + $1.count } } }

    private static func removeTunnels(of sessions: [String], from state: inout State) -> [@Sendable () -> Void] {
        sessions.flatMap { state.tunnels.removeValue(forKey: $0)?.values.map { $0 } ?? [] }
    }

    /// Runs the closers outside the lock (they may call back, e.g. to unregister) and
    /// reports the new count.
    private func close(_ closers: [@Sendable () -> Void]) {
        for close in closers { close() }
        onCount(count)
    }
}

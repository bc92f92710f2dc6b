import Foundation
import Synchronization

/// The live connect sessions and the tunnels open on them, in memory: what the data plane
/// checks on every request without a database read, and what an end or expiry closes at once.
///
/// Grants and tunnels share one lock, so a tunnel is either registered before its session
/// ends (and closed by that end) or refused: none outlives its session. Every change of the
/// number of sessions is reported to `onCount` (the `/metrics` gauge).
final class LiveConnectGrants: Sendable {
    private struct State {
        var grants: [String: ConnectGrant] = [:]
        /// Close callbacks of open tunnels and WebSockets, per session.
        var tunnels: [String: [UUID: @Sendable () -> Void]] = [:]
    }

    private let state = Mutex(State())
    private let onCount: @Sendable (Int) -> Void

    /// An empty table reporting its size to `onCount`.
    init(onCount: @escaping @Sendable (Int) -> Void) {
        self.onCount = onCount
    }

    /// The live grant of a session (it may have expired since the last sweep).
    func grant(_ session: String) -> ConnectGrant? { state.withLock { $0.grants[session] } }

    /// The live grants among `sessions`.
    func grants(_ sessions: [String]) -> [ConnectGrant] {
        state.withLock { state in sessions.compactMap { state.grants[$0] } }
    }

    /// The live sessions of an instance.
    func sessions(of instance: String) -> [String] {
        state.withLock { state in state.grants.values.filter { $0.instanceId == instance }.map(\.sessionId) }
    }

    /// The number of live sessions.
    var count: Int { state.withLock { $0.grants.count } }

    /// Adds (or replaces) live grants.
    func put(_ grants: [ConnectGrant]) {
        let count = state.withLock { state in
            for grant in grants { state.grants[grant.sessionId] = grant }
            return state.grants.count
        }
        onCount(count)
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
            for id in sessions { state.grants[id] = nil }
            return Self.removeTunnels(of: sessions, from: &state)
        })
    }

    /// Forgets the sessions expired at `nowMs` and closes their tunnels.
    /// - Returns: Their ids.
    @discardableResult
    func expire(at nowMs: Int64) -> [String] {
        let (expired, closers) = state.withLock { state in
            let ids = state.grants.values.filter { $0.isExpired(at: nowMs) }.map(\.sessionId)
            for id in ids { state.grants[id] = nil }
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

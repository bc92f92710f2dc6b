import Foundation
import PlatformContracts

/// The data plane's entry points (web proxy, WebSockets, tunnels), as the HTTP edge calls
/// them: checks go to ``ConnectSessionVerifier``, tunnel bookkeeping to ``LiveConnectGrants``.
extension ConnectService {
    /// Checks a credential (bearer token or cookie) for a request to `instance`'s `action`.
    /// Anything but a live session of exactly that instance and action is
    /// ``ErrorCode/connectSessionNotFound`` (404 at the edge: nothing to learn), audited.
    public func authorize(credential: String?, instance: String, action: String, requestID: String?) async throws -> ConnectGrant {
        try await verifier.authorize(credential: credential, instance: instance, action: action, requestID: requestID)
    }

    /// Checks a bearer token for the tunnel of session `session`.
    public func authorizeTunnel(credential: String?, session: String, requestID: String?) async throws -> ConnectGrant {
        try await verifier.authorizeTunnel(credential: credential, session: session, requestID: requestID)
    }

    /// Exchanges a web session's one-time launch code for a cookie secret (the code works
    /// once, within ``Settings/launchCodeSeconds``).
    public func redeem(session: String, code: String, requestID: String?) async throws -> (grant: ConnectGrant, cookie: String) {
        try await verifier.redeem(session: session, code: code, requestID: requestID)
    }

    /// Registers an open tunnel or WebSocket of a session; `close` runs when the session ends.
    /// - Returns: Its registration, or `nil` when the session ended meanwhile (close it now).
    public func registerTunnel(session: String, close: @escaping @Sendable () -> Void) -> UUID? {
        live.registerTunnel(session: session, close: close)
    }

    /// Forgets a closed tunnel.
    public func unregisterTunnel(session: String, id: UUID) {
        live.unregisterTunnel(session: session, id: id)
    }

    /// The number of open tunnels and proxied WebSockets.
    public var openTunnels: Int { live.openTunnels }

    /// Records connect activity for the instance's idle detection (only while it is supervised).
    public func noteActivity(_ instanceId: String) {
        verifier.noteActivity(instanceId)
    }
}

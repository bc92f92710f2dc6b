import Foundation
import PlatformContracts

/// What a session may be: which connect action a request means, how long its credential
/// lives (the request's wish capped by the manifest and the policy), and the SSH certificate
/// an `ssh` action's key gets. Pure rules, no state: open and refresh both ask them.
struct ConnectSessionPolicy: Sendable {
    let settings: ConnectService.Settings
    let authority: SSHCertificateAuthority
    /// A certificate's validity starts from this clock's now (less a minute for skew).
    let clock: any PlatformClock

    /// The action a request names (by action, endpoint or type), or the app's first.
    /// - Throws: ``ErrorCode/connectActionNotFound``, listing the app's actions.
    static func action(of target: ConnectTarget, named name: String?, endpoint: String?,
                       type: String? = nil) throws(PlatformError) -> ConnectTarget.Action {
        let found = if let name { target.actions.first { $0.name == name } } else if let endpoint {
            target.actions.first { $0.endpoint == endpoint }
        } else if let type { target.actions.first { $0.type == type } } else { target.actions.first }
        guard let found else {
            let wanted = name.map { "connect action \($0)" } ?? endpoint.map { "a connect action for endpoint \($0)" }
                ?? type.map { "a \($0) connect action" } ?? "a connect action"
            throw PlatformError(.connectActionNotFound, "the app of instance \(target.id) has no \(wanted)",
                                details: ["actions": target.actions.map { "\($0.name) (\($0.type) → \($0.endpoint))" }.joined(separator: ", ")])
        }
        return found
    }

    /// The lifetime to grant: the request's, at most the action's and the policy's.
    /// - Throws: ``ErrorCode/connectTTLExceedsPolicy``.
    func ttlSeconds(_ requested: Int?, action: ConnectTarget.Action) throws(PlatformError) -> Int {
        let maximum = min(action.credentialTTLSeconds ?? settings.maximumTTLSeconds, settings.maximumTTLSeconds)
        let ttl = requested ?? maximum
        guard ttl <= maximum else {
            throw PlatformError(.connectTTLExceedsPolicy, "a \(ttl) s session is longer than \(action.name) allows (\(maximum) s)",
                                details: ["maximumSeconds": String(maximum)])
        }
        guard ttl >= 1 else { throw PlatformError(.connectTTLExceedsPolicy, "ttlSeconds must be at least 1", details: ["maximumSeconds": String(maximum)]) }
        return ttl
    }

    /// The SSH certificate for `key`, valid until the session expires; `nil` without a key.
    /// - Throws: ``ErrorCode/connectSSHKeyInvalid`` (a key for a non-ssh action, or a bad key).
    func sshAccess(action: ConnectTarget.Action, key: String?, instance: String, session: String,
                   expiresMs: Int64) throws(PlatformError) -> ConnectSessionRecord.SSHAccess? {
        guard let key else { return nil }
        guard action.type == "ssh" else {
            throw PlatformError(.connectSSHKeyInvalid, "sshPublicKey is only for ssh actions; \(action.name) is \(action.type)")
        }
        let validBefore = Date(timeIntervalSince1970: Double(expiresMs) / 1000)
        let certificate = try authority.certify(publicKeyLine: key, principal: instance, keyID: "session-\(session)", validBefore: validBefore,
                                                 now: Date(timeIntervalSince1970: Double(clock.nowMilliseconds()) / 1000))
        return .init(certificate: certificate, user: settings.sshUser, principal: instance,
                     validBefore: Timestamp(millisecondsSinceEpoch: UInt64(expiresMs)).rfc3339)
    }
}

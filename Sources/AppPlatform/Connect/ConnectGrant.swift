import Crypto
import Foundation
import PlatformContracts
import SQLKit

/// A live session as the data plane checks it: who, which instance and action, where the
/// endpoint listens, until when, and the hashes of the secrets that open it.
public struct ConnectGrant: Sendable, Hashable {
    /// The session id.
    public var sessionId: String
    /// The instance.
    public var instanceId: String
    /// Its project.
    public var projectId: String
    /// Its tenant.
    public var tenantId: String
    /// Who opened the session.
    public var principalId: String
    /// The connect action.
    public var action: String
    /// `web`, `port-forward`, `ssh` or `api`.
    public var type: String
    /// The endpoint's name.
    public var endpoint: String
    /// Where the endpoint listens.
    public var host: String
    /// Its port.
    public var port: Int
    /// Expiry, ms since the epoch.
    public var expiresAtMs: Int64
    /// What the web proxy passes of the path (the action's `pathPrefix` when the session opened).
    public var pathPrefix: ConnectPathPrefix
    var tokenHash: String
    var cookieHash: String?

    /// Whether it is past its expiry at `nowMs`.
    public func isExpired(at nowMs: Int64) -> Bool { nowMs >= expiresAtMs }

    /// The web proxy prefix of this session's action.
    public var path: String { ConnectPathPrefix.prefix(instance: instanceId, action: action) + "/" }

    init(row: any SQLRow) throws {
        sessionId = try row.decode(column: "id", as: String.self)
        instanceId = try row.decode(column: "instance_id", as: String.self)
        projectId = try row.decode(column: "project_id", as: String.self)
        tenantId = try row.decode(column: "tenant_id", as: String.self)
        principalId = try row.decode(column: "principal_id", as: String.self)
        action = try row.decode(column: "action", as: String.self)
        type = try row.decode(column: "type", as: String.self)
        endpoint = try row.decode(column: "endpoint", as: String.self)
        host = try row.decode(column: "host", as: String.self)
        port = try row.decode(column: "port", as: Int.self)
        expiresAtMs = try row.decode(column: "expires_at_ms", as: Int64.self)
        pathPrefix = ConnectPathPrefix(rawValue: try row.decode(column: "path_prefix", as: String.self)) ?? .strip
        tokenHash = try row.decode(column: "token_hash", as: String.self)
        cookieHash = try row.decode(column: "cookie_hash", as: String?.self)
    }

    init(sessionId: String, target: ConnectTarget, action: ConnectTarget.Action, principalId: String, port: Int,
         expiresAtMs: Int64, tokenHash: String) {
        self.sessionId = sessionId
        self.instanceId = target.id
        self.projectId = target.projectId
        self.tenantId = target.tenantId
        self.principalId = principalId
        self.action = action.name
        self.type = action.type
        self.endpoint = action.endpoint
        self.host = target.host
        self.port = port
        self.expiresAtMs = expiresAtMs
        self.pathPrefix = action.pathPrefix
        self.tokenHash = tokenHash
        self.cookieHash = nil
    }
}

/// Session secrets: `pcs_<SESSION ULID>_<43 base64url chars>` (256 random bits). Only the
/// SHA-256 of the random part is stored; the session id in front makes lookup a key read.
enum ConnectSecret {
    static let prefix = "pcs_"

    /// A new secret for `session` and its hash.
    static func make(session: String) -> (text: String, hash: String) {
        let secret = randomPart()
        return ("\(prefix)\(session)_\(secret)", hash(secret))
    }

    /// 256 random bits, base64url without padding.
    static func randomPart() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).lowercaseHex
    }

    /// `(session id, hash of the secret)` of a well-formed credential.
    static func parse(_ text: String) -> (session: String, hash: String)? {
        guard text.hasPrefix(prefix), text.count == prefix.count + 26 + 1 + 43 else { return nil }
        let body = text.dropFirst(prefix.count)
        let session = body.prefix(26)
        guard body.dropFirst(26).first == "_" else { return nil }
        return (String(session), hash(String(body.dropFirst(27))))
    }

    /// Compares two hex hashes in time independent of where they differ.
    static func matches(_ a: String, _ b: String?) -> Bool {
        guard let b, a.utf8.count == b.utf8.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a.utf8, b.utf8) { difference |= x ^ y }
        return difference == 0
    }
}

import Crypto
import Foundation
import OCIKit
import PlatformContracts

/// Issues and checks the registry's bearer tokens (Docker token protocol): short-lived,
/// HMAC-SHA256-signed JWTs that carry the caller and the repository actions granted.
///
/// `/v2/token` once handed back the API key itself, so a token leaked from a registry client
/// was a full platform key. A token from here is good for ``lifetimeSeconds`` at most (never
/// past the key's own expiry), only on `/v2`, only for the repositories and actions in its
/// `access` claim, and each use is still checked against the key's current scopes.
///
/// ```swift
/// let signer = try RegistryTokenSigner.loadOrCreate(at: dataDirectory.appendingPathComponent("registry-token.key"))
/// let issued = try signer.issue(for: caller, access: [RegistryScope(type: "repository", name: "p1/app", actions: ["pull"])])
/// let claims = try signer.verify(issued.token)
/// ```
public struct RegistryTokenSigner: Sendable {
    private let secret: Data
    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// The longest a token lives.
    public static let lifetimeSeconds: Int64 = 300
    /// The `aud` claim: tokens are only for this registry.
    public static let audience = "platformd-registry"
    static let issuer = "platformd"
    /// `{"alg":"HS256","typ":"JWT"}`, base64url; a token with any other header is refused
    /// (no algorithm choice for the presenter).
    static let header = base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    /// What a token says.
    public struct Claims: Codable, Sendable, Equatable {
        /// `platformd`.
        public var iss: String
        /// ``RegistryTokenSigner/audience``.
        public var aud: String
        /// The principal id.
        public var sub: String
        /// Issued at, seconds since the epoch.
        public var iat: Int64
        /// Expires at, seconds since the epoch.
        public var exp: Int64
        /// The repositories and actions granted.
        public var access: [RegistryScope]
        /// The caller the key resolved to when the token was issued.
        public var caller: Caller
    }

    /// A token just issued.
    public struct Issued: Sendable {
        /// The compact JWT.
        public var token: String
        /// Seconds it lives (≥ 1).
        public var expiresIn: Int64
        /// What it says.
        public var claims: Claims
    }

    /// A signer with a 32-byte secret.
    public init(secret: Data) {
        self.secret = secret
    }

    /// The installation's secret at `url`, created (32 random bytes, mode 0600) on first start.
    /// - Throws: ``ErrorCode/configInvalid`` when the file holds something else or cannot be written.
    public static func loadOrCreate(at url: URL) throws(PlatformError) -> RegistryTokenSigner {
        if let data = FileManager.default.contents(atPath: url.path) {
            guard data.count == 32 else { throw PlatformError(.configInvalid, "\(url.path) is not a 32-byte registry token secret") }
            return RegistryTokenSigner(secret: data)
        }
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: url.path, contents: secret, attributes: [.posixPermissions: 0o600]) else {
            throw PlatformError(.configInvalid, "cannot write the registry token secret \(url.path)")
        }
        return RegistryTokenSigner(secret: secret)
    }

    /// Signs a token for `caller` granting `access`, valid ``lifetimeSeconds`` or until the key expires.
    public func issue(for caller: Caller, access: [RegistryScope], now: Date = Date()) throws -> Issued {
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        var expires = issuedAt + Self.lifetimeSeconds
        if let keyExpiry = Timestamp(rfc3339: caller.expiresAt) {
            expires = min(expires, Int64(clamping: keyExpiry.millisecondsSinceEpoch / 1000))
        }
        let claims = Claims(iss: Self.issuer, aud: Self.audience, sub: caller.principalId, iat: issuedAt, exp: max(expires, issuedAt + 1),
                            access: access, caller: caller)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let input = Self.header + "." + Self.base64URL(try encoder.encode(claims))
        let signature = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: key)
        return Issued(token: input + "." + Self.base64URL(Data(signature)), expiresIn: claims.exp - issuedAt, claims: claims)
    }

    /// Whether `text` has the shape of a token from here (so a `Bearer` value that is not one
    /// can be told apart from a forged or expired one).
    public static func looksLikeToken(_ text: String) -> Bool {
        text.hasPrefix(header + ".") && text.split(separator: ".", omittingEmptySubsequences: false).count == 3
    }

    /// The claims of a genuine, unexpired token.
    /// - Throws: ``ErrorCode/iamKeyInvalid`` for a token that is malformed, not signed here,
    ///   for another audience, or expired.
    public func verify(_ token: String, now: Date = Date()) throws(PlatformError) -> Claims {
        let invalid = PlatformError(.iamKeyInvalid, "the registry token is invalid or expired; get a new one from /v2/token")
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.utf8.count <= 16_384, parts.count == 3, parts[0] == Self.header,
              let payload = Self.data(base64URL: parts[1]), let signature = Self.data(base64URL: parts[2]),
              HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data("\(parts[0]).\(parts[1])".utf8), using: key),
              let claims = try? JSONDecoder().decode(Claims.self, from: payload) else { throw invalid }
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        guard claims.aud == Self.audience, claims.iss == Self.issuer, claims.exp > seconds, claims.iat <= seconds + 60,
              claims.exp - claims.iat <= Self.lifetimeSeconds else { throw invalid }
        return claims
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: Substring) -> Data? {
        guard text.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "=") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

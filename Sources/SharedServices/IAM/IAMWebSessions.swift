import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// ``WebSessions`` over `iam_web_sessions`: the cookie is `ID.SECRET`, the table keeps the
/// secret's SHA-256 only, and each resolution re-reads the session's key (``IAMAuthorizer``'s
/// checks), so a revoked key, a deleted account, a signed-out or expired session all stop the
/// next request. Rows live in the shared store, so any `platformd` replica resolves them.
public struct IAMWebSessions: WebSessions {
    let store: SQLStore
    let authorizer: IAMAuthorizer

    /// Creates the store of sessions over the IAM tables.
    public init(store: SQLStore, authorizer: IAMAuthorizer) {
        self.store = store
        self.authorizer = authorizer
    }

    /// Authenticates the key and opens a session ending at `now + lifetime` or the key's expiry.
    public func signIn(keyText: String, lifetime: Duration) async throws -> IssuedWebSession {
        let caller = try await authorizer.authenticate(keyText: keyText)
        let now = Timestamp.now()
        let lifetimeMilliseconds = UInt64(max(0, lifetime.components.seconds)) * 1000
        var expires = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + lifetimeMilliseconds).rfc3339
        if caller.expiresAt < expires { expires = caller.expiresAt }
        let id = ULID().description
        let secret = Self.randomToken()
        let csrf = Self.randomToken()
        try await store.transaction { db in
            try await db.insert(into: "iam_web_sessions")
                .columns("id", "secret_hash", "key_id", "principal_id", "csrf_token", "created_at", "expires_at")
                .values(SQLBind(id), SQLBind(IAMAuthorizer.hash(secret)), SQLBind(caller.keyId), SQLBind(caller.principalId),
                        SQLBind(csrf), SQLBind(now.rfc3339), SQLBind(expires))
                .run()
        }
        let session = WebSession(id: id, caller: caller, csrfToken: csrf, createdAt: now.rfc3339, expiresAt: expires)
        return IssuedWebSession(session: session, cookieValue: "\(id).\(secret)")
    }

    /// The live session the cookie names, with its key's caller read now.
    public func resolve(cookieValue: String) async throws -> WebSession {
        let (id, secret) = try Self.parse(cookieValue)
        return try await store.read { db in
            guard let row = try await db.select().columns("*").from("iam_web_sessions").where("id", .equal, SQLBind(id)).first(),
                  IAMAuthorizer.constantTimeEqual(IAMAuthorizer.hash(secret), try row.decode(column: "secret_hash", as: String.self))
            else { throw PlatformError(.iamUnauthenticated, "this console session is unknown: sign in again") }
            guard try row.decode(column: "revoked_at", as: String?.self) == nil else {
                throw PlatformError(.iamUnauthenticated, "this console session was signed out: sign in again")
            }
            let expires = try row.decode(column: "expires_at", as: String.self)
            guard expires > Timestamp.now().rfc3339 else {
                throw PlatformError(.iamUnauthenticated, "this console session expired at \(expires): sign in again")
            }
            let caller = try await authorizer.caller(keyID: try row.decode(column: "key_id", as: String.self), db)
            return WebSession(id: id, caller: caller, csrfToken: try row.decode(column: "csrf_token", as: String.self),
                              createdAt: try row.decode(column: "created_at", as: String.self), expiresAt: expires)
        }
    }

    /// Marks the session revoked; the next request with its cookie is unauthenticated.
    public func signOut(cookieValue: String) async throws -> WebSession? {
        guard let session = try? await resolve(cookieValue: cookieValue) else { return nil }
        try await store.transaction { db in
            try await db.update("iam_web_sessions").set("revoked_at", to: SQLBind(Timestamp.now().rfc3339))
                .where("id", .equal, SQLBind(session.id)).where("revoked_at", .is, SQLLiteral.null).run()
        }
        return session
    }

    static func parse(_ cookieValue: String) throws -> (id: String, secret: String) {
        let parts = cookieValue.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = ULID.canonical(String(parts[0])), parts[1].count == 43,
              parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { throw PlatformError(.iamUnauthenticated, "this console session cookie is malformed: sign in again") }
        return (id.description, String(parts[1]))
    }

    /// 32 random bytes as unpadded base64url (43 characters).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// A signed-in browser session of the web console: an API key exchanged once for a cookie.
///
/// The key proves possession at sign-in; the session then stands for that key. Every request
/// re-reads the key, so revoking or expiring the key (or deleting its account) ends its
/// sessions at once, and a session never outlives its key. The caller a session resolves to
/// is the key's ``Caller``: the console authorises with exactly the API's scopes.
///
/// The seam for single sign-on: an OIDC relying party (authorization-code flow with PKCE)
/// would verify the provider's ID token, map its subject to a principal, and open a session
/// through the same store with a short-lived key of that principal; the cookie, CSRF and
/// per-request checks below stay as they are (`docs/ARCHITECTURE.md`, "Web console").
public protocol WebSessions: Sendable {
    /// Authenticates `keyText` and opens a session that ends after `lifetime` or when the
    /// key expires, whichever comes first.
    /// - Throws: ``ErrorCode/iamKeyMalformed`` / ``ErrorCode/iamKeyInvalid`` for a bad key.
    func signIn(keyText: String, lifetime: Duration) async throws -> IssuedWebSession
    /// The live session a cookie value names, with its key's caller read now.
    /// - Throws: ``ErrorCode/iamUnauthenticated`` when the cookie is malformed, unknown,
    ///   signed out or expired; ``ErrorCode/iamKeyInvalid`` when its key no longer is valid.
    func resolve(cookieValue: String) async throws -> WebSession
    /// Ends the session a cookie value names (idempotent; an unknown value is not an error).
    /// - Returns: The session that was ended, if the cookie named a live one.
    func signOut(cookieValue: String) async throws -> WebSession?
}

/// One live console session.
public struct WebSession: Sendable, Equatable {
    /// The session's public id (a ULID; audit records name it).
    public var id: String
    /// The key's caller, read at resolution.
    public var caller: Caller
    /// The synchronizer token every form of this session carries.
    public var csrfToken: String
    /// When the session was opened (RFC 3339).
    public var createdAt: String
    /// When it ends (RFC 3339): never after the key's expiry.
    public var expiresAt: String

    /// Creates a value.
    public init(id: String, caller: Caller, csrfToken: String, createdAt: String, expiresAt: String) {
        self.id = id
        self.caller = caller
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A session just opened, with the cookie value shown only this once.
public struct IssuedWebSession: Sendable {
    /// The session.
    public var session: WebSession
    /// `ID.SECRET`: the store keeps only the secret's hash.
    public var cookieValue: String

    /// Creates a value.
    public init(session: WebSession, cookieValue: String) {
        self.session = session
        self.cookieValue = cookieValue
    }
}

/// What product code needs from IAM: who is calling, what they may do, and which project
/// (within their reach) a request names. Nothing here administers IAM; that is
/// ``IdentityService``, which only the IAM routes use.
///
/// One request asks each question once: the `/v1` edge authenticates in middleware, then
/// authorizes and resolves `:project` before the handler and keeps the answers in the
/// request (``Grants`` and the ``Project``), so product code decides further scopes and
/// scopes its queries from those values instead of asking IAM again.
public protocol Authorizer: Sendable {
    /// Resolves a presented key text to the caller, or throws ``ErrorCode/iamKeyMalformed`` /
    /// ``ErrorCode/iamKeyInvalid``; never allows on a store failure.
    func authenticate(keyText: String) async throws -> Caller
    /// Everything the caller may do now (key scopes ∩ the principal's current roles within the
    /// key's reach), decided in one read; a request decides every scope it needs from this one
    /// value. Throws on a store failure (never allows).
    func authorize(_ caller: Caller) async throws -> Grants
    /// One project within the caller's reach, named by its id (a ULID in any case) or by
    /// names as `tenant/project` (the slash may be percent-encoded, as one path segment
    /// carries it); else ``ErrorCode/iamNotFound``, also when it exists out of reach.
    func project(_ id: String, visibleTo caller: Caller) async throws -> Project
}

extension Authorizer {
    /// Whether the caller holds `scope` now: one ``authorize(_:)`` for one scope.
    public func authorize(_ caller: Caller, scope: String) async throws -> AccessDecision {
        try await authorize(caller).decision(for: scope)
    }
}

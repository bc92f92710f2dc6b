/// What one caller may do, as IAM decided it at one moment: the request's authorization.
///
/// The `/v1` edge asks IAM once per request (``Authorizer/authorize(_:)``) and keeps this in
/// the request context; every scope the request needs (the route's, then a manifest's
/// `access.launchScopes` or `connectScopes`) is decided from it with no further IAM read.
/// It is a per-request value: do not keep it beyond the request, so that a revoked key or
/// a removed membership takes effect on the next request.
public struct Grants: Sendable, Equatable {
    /// The scopes the presented key carries.
    public let keyScopes: Set<String>
    /// The scopes the principal's memberships give within the key's reach, registered only.
    public let heldScopes: Set<String>
    /// Every registered (not retired) scope, so a denial can say why.
    public let registeredScopes: Set<String>

    /// Creates the grants of one decision.
    public init(keyScopes: Set<String>, heldScopes: Set<String>, registeredScopes: Set<String>) {
        self.keyScopes = keyScopes
        self.heldScopes = heldScopes
        self.registeredScopes = registeredScopes
    }

    /// Allows `scope` when it is registered, on the key, and still held by the principal.
    public func decision(for scope: String) -> AccessDecision {
        guard registeredScopes.contains(scope) else { return .deny(reason: "scope \(scope) is not in the scope registry") }
        guard keyScopes.contains(scope) else { return .deny(reason: "the key does not carry \(scope)") }
        return heldScopes.contains(scope) ? .allow : .deny(reason: "the principal no longer holds \(scope)")
    }

    /// The scope among `scopes` (sorted) that is denied, with its reason; `nil` when all are allowed.
    public func firstDenied(_ scopes: some Sequence<String>) -> (scope: String, reason: String)? {
        for scope in Set(scopes).sorted() {
            if case .deny(let reason) = decision(for: scope) { return (scope, reason) }
        }
        return nil
    }
}

/// The outcome of an authorization decision.
public enum AccessDecision: Sendable, Equatable {
    /// Allowed.
    case allow
    /// Denied, with the reason recorded in audit.
    case deny(reason: String)
}

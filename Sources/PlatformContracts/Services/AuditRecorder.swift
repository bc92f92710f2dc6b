/// Whether an audited action succeeded.
public enum AuditOutcome: String, Sendable, Codable, CaseIterable {
    /// Done.
    case success
    /// Refused by authorization or policy.
    case denied
    /// Attempted and failed.
    case failure
}

/// One audit record, as product code hands it to the audit service.
public struct AuditEvent: Sendable, Codable, Equatable {
    /// Who acted.
    public var actor: PrincipalID
    /// The action id from the audit-action registry (e.g. `apps.instance.launch`).
    public var action: String
    /// What was acted on (a typed reference such as `instance/01J…`).
    public var target: String
    /// How it ended.
    public var outcome: AuditOutcome
    /// Correlates with logs and the HTTP response's `X-Request-ID`.
    public var requestID: String?
    /// Extra facts; never secrets.
    public var details: [String: String]
    /// The tenant the action concerns, when it is recorded on its own (not inside a mutation).
    public var tenant: String?
    /// The project the action concerns, if any.
    public var project: String?

    /// Creates an event.
    public init(actor: PrincipalID, action: String, target: String, outcome: AuditOutcome,
                requestID: String? = nil, details: [String: String] = [:], tenant: String? = nil, project: String? = nil) {
        self.tenant = tenant
        self.project = project
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.requestID = requestID
        self.details = details
    }
}

/// The audit contract (implemented by `AuditService`). Privileged mutations call it inside
/// their transaction and fail when it throws.
public protocol AuditRecorder: Sendable {
    /// Appends one record to the hash-chained log.
    func record(_ event: AuditEvent) async throws
}

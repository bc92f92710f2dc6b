/// One row of the audit log as stored, served and exported. Its canonical JSON (sorted
/// keys, no insignificant whitespace) is the RFC 6962 leaf.
public struct AuditRecord: Sendable, Codable, Equatable {
    /// Position in the log, 1-based and gapless.
    public var sequence: Int64
    /// ULID of the record.
    public var id: String
    /// When it was written (RFC 3339).
    public var time: String
    /// The tenant the action concerns, if any.
    public var tenant: String?
    /// The project the action concerns, if any.
    public var project: String?
    /// Who acted (principal id, or `anonymous`).
    public var actor: String
    /// Action id from the audit-action registry.
    public var action: String
    /// What was acted on.
    public var target: String
    /// How it ended.
    public var outcome: AuditOutcome
    /// Correlation id.
    public var requestId: String?
    /// Extra facts.
    public var details: [String: String]

    /// Creates a record.
    public init(sequence: Int64, id: String, time: String, tenant: String?, project: String?, actor: String, action: String,
                target: String, outcome: AuditOutcome, requestId: String?, details: [String: String]) {
        self.project = project
        self.sequence = sequence
        self.id = id
        self.time = time
        self.tenant = tenant
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.requestId = requestId
        self.details = details
    }
}

/// A piece of evidence (a test report, a scan, a provenance statement) about a subject: one
/// row of the shared operating record (`evidence_records`).
public struct EvidenceRecord: Sendable, Codable, Equatable {
    /// The record's id (a ULID).
    public var id: String
    /// An id from the evidence-type registry.
    public var type: String
    /// What it is about (an artifact digest, `release/<id>`, an instance id).
    public var subject: String
    /// The DSSE envelope or document, stored as a blob.
    public var document: ContentDigest
    /// The in-toto predicate type of the statement.
    public var predicateType: String
    /// The key that signed it (`""` when none was identified).
    public var keyId: String
    /// Who the signature stands for: the key's creator, or `platform`.
    public var signer: String
    /// The principal who attached it.
    public var attachedBy: String
    /// The project it belongs to, when it belongs to one.
    public var projectId: String?
    /// The evidence type's retention class (`release`, `audit`, `short`).
    public var retentionClass: String
    /// What the evidence validator derived from the predicate (a scan's `highest_severity`…).
    public var facts: [String: String]
    /// When it was recorded (RFC 3339); `""` lets the store stamp it.
    public var recordedAt: String

    /// Creates a record; everything but the type, subject and document has a default so
    /// older callers keep compiling.
    public init(type: String, subject: String, document: ContentDigest, id: String = ULID().description, predicateType: String = "",
                keyId: String = "", signer: String = "", attachedBy: String = "", projectId: String? = nil,
                retentionClass: String = "release", facts: [String: String] = [:], recordedAt: String = "") {
        self.id = id
        self.type = type
        self.subject = subject
        self.document = document
        self.predicateType = predicateType
        self.keyId = keyId
        self.signer = signer
        self.attachedBy = attachedBy
        self.projectId = projectId
        self.retentionClass = retentionClass
        self.facts = facts
        self.recordedAt = recordedAt
    }
}

/// The evidence contract (implemented by `EvidenceService`).
public protocol EvidenceStore: Sendable {
    /// Attaches evidence to its subject.
    func attach(_ record: EvidenceRecord) async throws
    /// Evidence recorded for a subject.
    func evidence(for subject: String) async throws -> [EvidenceRecord]
}

/// A piece of evidence (a test report, a scan, a provenance statement) about a subject.
public struct EvidenceRecord: Sendable, Codable, Equatable {
    /// An id from the evidence-type registry.
    public var type: String
    /// What it is about (an artifact digest, an instance id).
    public var subject: String
    /// The DSSE envelope or document, stored as a blob.
    public var document: ContentDigest

    /// Creates a record.
    public init(type: String, subject: String, document: ContentDigest) {
        self.type = type
        self.subject = subject
        self.document = document
    }
}

/// The evidence contract (implemented by `EvidenceService`).
public protocol EvidenceStore: Sendable {
    /// Attaches evidence to its subject.
    func attach(_ record: EvidenceRecord) async throws
    /// Evidence recorded for a subject.
    func evidence(for subject: String) async throws -> [EvidenceRecord]
}

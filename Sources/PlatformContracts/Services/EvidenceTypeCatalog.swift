/// One entry of the evidence-type registry (`manifests/platform/evidence-types.yaml` v2).
public struct EvidenceTypeDefinition: Sendable, Codable, Equatable {
    public var evidenceId: String
    /// The product that owns the type.
    public var owner: String
    public var predicateType: String
    /// Predicate fields that must be present (also required by its JSON Schema).
    public var requiredFields: [String]
    /// `release` (kept for the release's life plus a year), `audit` (kept with the audit log), `short` (90 days).
    public var retentionClass: String
    /// Whether a missing or failing statement of this type blocks a release.
    public var releaseBlocking: Bool
    /// Made only by the platform (signed with its key); refused when attached by hand.
    public var platformMade: Bool
    public var description: String
    public init(evidenceId: String, owner: String, predicateType: String, requiredFields: [String], retentionClass: String,
                releaseBlocking: Bool, platformMade: Bool, description: String) {
        self.evidenceId = evidenceId
        self.owner = owner
        self.predicateType = predicateType
        self.requiredFields = requiredFields
        self.retentionClass = retentionClass
        self.releaseBlocking = releaseBlocking
        self.platformMade = platformMade
        self.description = description
    }
}

/// Validates evidence content at attach time (implemented by the evidence shared service over
/// each type's predicate JSON Schema). Used by the artifact trust ledger for OCI referrers and
/// by releases for bundle statements.
public protocol EvidenceValidating: Sendable {
    /// The registry's types.
    var types: [EvidenceTypeDefinition] { get }
    /// Checks `predicate` (the in-toto statement's `predicate`, JSON bytes) against type
    /// `evidenceId`'s schema and returns the facts derived from it (a scan's `highest_severity`
    /// from its SARIF or CycloneDX VEX findings, a UAT's `passed`/`failed`…). Throws
    /// `evidence.type_unknown` or `evidence.invalid` (details: `path`, `reason`).
    func validate(evidenceId: String, predicateType: String, predicate: [UInt8]) throws -> [String: String]
}

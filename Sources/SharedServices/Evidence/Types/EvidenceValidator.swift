import Foundation
import ManifestKit
import PlatformContracts

/// Validates evidence predicates against the evidence-type registry's JSON Schemas.
/// SCAFFOLD: the evidence owner builds it (schemas, SARIF / CycloneDX VEX severity).
public struct EvidenceValidator: EvidenceValidating {
    public let types: [EvidenceTypeDefinition]

    /// Creates the validator over the registry's types.
    public init(types: [EvidenceTypeDefinition]) {
        self.types = types
    }

    public func validate(evidenceId: String, predicateType: String, predicate: [UInt8]) throws -> [String: String] {
        guard types.contains(where: { $0.evidenceId == evidenceId }) else {
            throw PlatformError(.evidenceTypeUnknown, "evidence type \(evidenceId) is not in the evidence-type registry")
        }
        return [:]
    }
}

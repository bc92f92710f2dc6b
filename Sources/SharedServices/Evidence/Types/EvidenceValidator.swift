import Foundation
import ManifestKit
import PlatformContracts

/// Validates evidence predicates against the evidence-type registry's JSON Schemas and
/// derives the facts gates decide on. Content is checked when it is attached, so a
/// "vulnerability-scan" without findings, or a UAT result without a total, never counts.
///
/// Security scans are read, not believed: their highest severity is derived from the
/// SARIF results or CycloneDX vulnerabilities themselves (``ScanSummary``), and no summary
/// field of the report reaches the facts.
public struct EvidenceValidator: EvidenceValidating {
    public let types: [EvidenceTypeDefinition]
    /// Evidence id → its predicate schema. A type without one is checked for its facts only
    /// (tests that build a validator from types alone); the server always passes the
    /// registry's schemas (`RegistrySet.evidenceSchemas`), which its load requires.
    let schemas: [String: JSONSchema]

    /// Creates the validator over the registry's types and their predicate schemas.
    public init(types: [EvidenceTypeDefinition], schemas: [String: JSONSchema] = [:]) {
        self.types = types
        self.schemas = schemas
    }

    /// Checks `predicate` against type `evidenceId`'s schema and returns its facts: every
    /// top-level scalar of the predicate (`result`, `class`, `freeGpus`…) plus the derived
    /// ones (`passed`/`failed`/`total` of a UAT run; `format`, `highest_severity` and
    /// `findings` of a scan, which carry nothing else).
    /// - Throws: `evidence.type_unknown`; `evidence.invalid` with `details.path` and
    ///   `details.reason` (the first violation; the message counts the rest).
    public func validate(evidenceId: String, predicateType: String, predicate: [UInt8]) throws -> [String: String] {
        guard let type = types.first(where: { $0.evidenceId == evidenceId }) else {
            throw PlatformError(.evidenceTypeUnknown, "evidence type \(evidenceId) is not in the evidence-type registry",
                                details: ["evidenceType": evidenceId])
        }
        guard type.predicateType == predicateType else {
            throw Self.invalid(evidenceId, path: "/predicateType",
                               reason: "\(evidenceId) evidence must be a \(type.predicateType) statement, not \(predicateType)")
        }
        let data = Data(predicate)
        let json: EvidenceJSON
        do {
            json = try JSONDecoder().decode(EvidenceJSON.self, from: data)
        } catch {
            throw Self.invalid(evidenceId, path: "", reason: "the predicate is not JSON")
        }
        guard case .object = json else { throw Self.invalid(evidenceId, path: "", reason: "the predicate must be a JSON object") }
        switch evidenceId {
        case "security-scan":
            return try scan(json, data: data, evidenceId: evidenceId, schema: schemas[evidenceId]).facts
        case "vulnerability-scan" where json["bomFormat"] != nil || json["runs"] != nil:
            return try scan(json, data: data, evidenceId: evidenceId, schema: schemas["security-scan"]).facts
        case "vulnerability-scan":
            try check(data, against: schemas[evidenceId], evidenceId: evidenceId)
            return ScanSummary.findings(json).facts
        default:
            try check(data, against: schemas[evidenceId], evidenceId: evidenceId)
            var facts = Self.scalars(of: json)
            try EvidenceRules.check(evidenceId, json, facts: &facts)
            return facts
        }
    }

    /// A SARIF 2.1.0 log (`version`, `runs`) or a CycloneDX VEX BOM (`bomFormat`,
    /// `vulnerabilities`), checked against that shape's definition in the security-scan schema.
    func scan(_ json: EvidenceJSON, data: Data, evidenceId: String, schema: JSONSchema?) throws -> ScanSummary {
        if json["bomFormat"] != nil {
            try check(data, against: schema, definition: "cyclonedx-vex", evidenceId: evidenceId)
            return ScanSummary.cycloneDX(json)
        }
        if json["runs"] != nil || json["version"] != nil {
            try check(data, against: schema, definition: "sarif-2.1", evidenceId: evidenceId)
            return ScanSummary.sarif(json)
        }
        throw Self.invalid(evidenceId, path: "",
                           reason: "a security scan must be a SARIF 2.1.0 log (version, runs) or a CycloneDX VEX BOM (bomFormat, vulnerabilities)")
    }

    func check(_ data: Data, against schema: JSONSchema?, definition: String? = nil, evidenceId: String) throws {
        guard let schema else { return }
        let violations = schema.violations(ofJSON: data, definition: definition)
        guard let first = violations.first else { return }
        let more = violations.count > 1 ? " (and \(violations.count - 1) more)" : ""
        throw Self.invalid(evidenceId, path: first.pointer, reason: first.reason, more: more)
    }

    static func invalid(_ evidenceId: String, path: String, reason: String, more: String = "") -> PlatformError {
        PlatformError(.evidenceInvalid, "\(evidenceId) evidence is refused: \(path.isEmpty ? "/" : path): \(reason)\(more)",
                      details: ["evidenceType": evidenceId, "path": path.isEmpty ? "/" : path, "reason": reason])
    }

    /// The predicate's top-level scalars as facts.
    static func scalars(of json: EvidenceJSON) -> [String: String] {
        (json.object ?? [:]).reduce(into: [:]) { facts, member in
            if let text = member.value.factText { facts[member.key] = text }
        }
    }
}

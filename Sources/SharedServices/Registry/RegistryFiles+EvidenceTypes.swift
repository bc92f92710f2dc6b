import Foundation
import ManifestKit
import PlatformContracts
import Yams

/// The evidence-type registry (`evidence-types.yaml` v2) as decoded from the file.
struct EvidenceTypeRegistry: Decodable, RegistryDocument {
    struct Entry: Decodable {
        var evidenceId: String
        var productId: String
        var predicateType: String
        var requiredFields: [String]
        var retentionClass: String
        var releaseBlocking: Bool
        var platformMade: Bool
        var schema: String
        var description: String

        enum CodingKeys: String, CodingKey {
            case evidenceId = "evidence_id", productId = "product_id", predicateType = "predicate_type", requiredFields = "required_fields"
            case retentionClass = "retention_class", releaseBlocking = "release_blocking", platformMade = "platform_made", schema, description
        }
    }

    var registry: String
    var version: Int
    var types: [Entry]
}

/// The evidence types with their predicate JSON Schemas, checked together.
public struct EvidenceTypeCatalog: Sendable {
    /// The registry's entries, in file order.
    public let types: [EvidenceTypeDefinition]
    /// Evidence id → its predicate's JSON Schema.
    public let schemas: [String: JSONSchema]

    /// Retention classes a type may name.
    static let retentionClasses: Set<String> = ["release", "audit", "short"]
}

extension RegistryFiles {
    /// The evidence-type registry with each type's JSON Schema, checked: every field is
    /// present, the owner is a registered product, the retention class is known, the schema
    /// file exists under this folder, loads with the validator's keywords, and requires every
    /// field the registry says is required (a registry may not promise a check the schema
    /// does not make).
    /// - Parameters:
    ///   - text: The registry text already read (`nil`: read the file).
    ///   - products: Registered product ids (`nil`: not checked).
    /// - Throws: ``ErrorCode/configInvalid`` naming the file and the entry.
    public func evidenceTypes(text: String? = nil, products: Set<String>? = nil) throws(PlatformError) -> EvidenceTypeCatalog {
        let file = directory.appendingPathComponent("evidence-types.yaml").path
        let registry: EvidenceTypeRegistry = try typed("evidence-types.yaml", kind: "evidence-type", text: text)
        guard registry.version >= 2 else {
            throw PlatformError(.configInvalid, "\(file): version \(registry.version) has no owners, retention or schemas; version 2 is required")
        }
        var types: [EvidenceTypeDefinition] = []
        var schemas: [String: JSONSchema] = [:]
        for (index, entry) in registry.types.enumerated() {
            let name = "\(file): entry \(index + 1) (\(entry.evidenceId))"
            if let products, !products.contains(entry.productId) {
                throw PlatformError(.configInvalid, "\(name) names unknown product \(entry.productId)")
            }
            guard EvidenceTypeCatalog.retentionClasses.contains(entry.retentionClass) else {
                throw PlatformError(.configInvalid, "\(name): retention_class \(entry.retentionClass) is not one of release, audit, short")
            }
            guard !entry.predicateType.isEmpty else { throw PlatformError(.configInvalid, "\(name) has no predicate_type") }
            let schema = try evidenceSchema(entry.schema, entry: name)
            let missing = entry.requiredFields.filter { !schema.requiredKeys.contains($0) }
            guard missing.isEmpty else {
                throw PlatformError(.configInvalid, "\(name): required_fields \(missing.joined(separator: ", ")) are not required by its schema \(entry.schema)")
            }
            schemas[entry.evidenceId] = schema
            types.append(EvidenceTypeDefinition(
                evidenceId: entry.evidenceId, owner: entry.productId, predicateType: entry.predicateType, requiredFields: entry.requiredFields,
                retentionClass: entry.retentionClass, releaseBlocking: entry.releaseBlocking, platformMade: entry.platformMade,
                description: entry.description))
        }
        return EvidenceTypeCatalog(types: types, schemas: schemas)
    }

    /// One predicate schema, by its path relative to the registry folder (never outside it).
    private func evidenceSchema(_ relative: String, entry: String) throws(PlatformError) -> JSONSchema {
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
            throw PlatformError(.configInvalid, "\(entry): schema \(relative) must be a path inside the registry folder")
        }
        let url = directory.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PlatformError(.configInvalid, "\(entry): cannot read its schema \(url.path)")
        }
        do {
            return try JSONSchema(data: data)
        } catch {
            throw PlatformError(.configInvalid, "\(entry): schema \(url.path) is not usable: \(error)")
        }
    }
}

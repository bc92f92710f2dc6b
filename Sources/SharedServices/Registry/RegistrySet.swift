import Foundation
import ManifestKit
import PlatformContracts
import Yams

/// All registry files, loaded and checked together at start-up: each names its kind and a
/// version ≥ 1, ids are present and unique, and cross references resolve (scopes and
/// audit actions name registered products, roles name registered scopes). A bad file stops
/// the server with a message naming the file and the entry.
public struct RegistrySet: Sendable {
    /// File name, list key and id key of each registry.
    static let layout: [(kind: String, file: String, list: String, id: String)] = [
        ("product", "products.yaml", "products", "product_id"),
        ("scope", "scopes.yaml", "scopes", "scope_id"),
        ("usage-unit", "usage-units.yaml", "units", "unit_id"),
        ("audit-action", "audit-actions.yaml", "actions", "action_id"),
        ("notification-template", "notification-templates.yaml", "templates", "template_id"),
        ("evidence-type", "evidence-types.yaml", "types", "evidence_id"),
        ("artifact-type", "artifact-types.yaml", "types", "type_id"),
        ("policy", "policies.yaml", "policies", "policy_key"),
        ("gpu-model", "gpu-models.yaml", "models", "model_id"),
    ]

    /// Each registry as JSON, by kind.
    public let documents: [String: [UInt8]]
    /// Each registry's version, by kind.
    public let versions: [String: Int]
    /// The scope registry.
    public let scopes: ScopeRegistry
    /// The audit-action registry.
    public let auditActions: AuditActionRegistry
    /// The usage-unit registry.
    public let usageUnits: UsageUnitRegistry
    /// The artifact-type registry.
    public let artifactTypes: ArtifactTypeRegistry
    /// The GPU model list.
    public let gpuModels: GPUModelRegistry
    /// Evidence types: id → the in-toto predicate type that carries it.
    public let evidencePredicates: [String: String]
    /// The evidence-type registry's typed entries and their predicate JSON Schemas.
    public let evidenceCatalog: EvidenceTypeCatalog
    /// The policy registry: definitions and plans (checked: values match their types).
    public let policies: PolicyRegistry
    /// The price book (`price-book.yaml`), checked against the units and plans; it reaches
    /// rating only inside the policy snapshot (`PolicyService`'s `priceBook`).
    public let priceBook: PriceBook

    /// Loads and checks every registry under `files.directory`.
    public static func load(_ files: RegistryFiles) throws(PlatformError) -> RegistrySet {
        var documents: [String: [UInt8]] = [:]
        var versions: [String: Int] = [:]
        var ids: [String: Set<String>] = [:]
        var entries: [String: [[String: Any]]] = [:]
        var texts: [String: String] = [:]
        for (kind, file, list, idKey) in layout {
            let path = files.directory.appendingPathComponent(file).path
            let text = try files.text(of: file)
            try RegistryFiles.checkLimits(text, path: path)
            texts[kind] = text
            let root: [String: Any]
            do {
                guard let loaded = try Yams.load(yaml: text) as? [String: Any] else {
                    throw PlatformError(.configInvalid, "registry \(path) is not a mapping")
                }
                root = loaded
            } catch let error as PlatformError {
                throw error
            } catch {
                throw PlatformError(.configInvalid, "cannot read registry \(path): \(error)")
            }
            guard root["registry"] as? String == kind else {
                throw PlatformError(.configInvalid, "registry \(path): `registry` must be \(kind)")
            }
            guard let version = root["version"] as? Int, version >= 1 else {
                throw PlatformError(.configInvalid, "registry \(path): `version` must be an integer ≥ 1")
            }
            guard let items = root[list] as? [[String: Any]], !items.isEmpty else {
                throw PlatformError(.configInvalid, "registry \(path): `\(list)` must be a non-empty list of entries")
            }
            var seen = Set<String>()
            for (index, item) in items.enumerated() {
                guard let id = item[idKey] as? String, !id.isEmpty else {
                    throw PlatformError(.configInvalid, "registry \(path): entry \(index + 1) has no \(idKey)")
                }
                guard seen.insert(id).inserted else {
                    throw PlatformError(.configInvalid, "registry \(path): entry \(index + 1) (\(idKey) \(id)) is a duplicate")
                }
            }
            do {
                documents[kind] = Array(try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]))
            } catch {
                throw PlatformError(.configInvalid, "registry \(path) cannot be served as JSON: \(error)")
            }
            versions[kind] = version
            ids[kind] = seen
            entries[kind] = items
        }
        for kind in ["scope", "audit-action", "notification-template", "evidence-type"] {
            let file = layout.first { $0.kind == kind }!
            for (index, item) in (entries[kind] ?? []).enumerated() {
                if let product = item["product_id"] as? String, !(ids["product"]?.contains(product) ?? false) {
                    throw PlatformError(.configInvalid, "registry \(files.directory.appendingPathComponent(file.file).path): entry \(index + 1) (\(item[file.id] ?? "?")) names unknown product \(product)")
                }
            }
        }
        try checkNotificationTemplates(entries["notification-template"] ?? [],
                                       path: files.directory.appendingPathComponent("notification-templates.yaml").path)
        var evidencePredicates: [String: String] = [:]
        for item in entries["evidence-type"] ?? [] {
            if let id = item["evidence_id"] as? String, let predicate = item["predicate_type"] as? String {
                evidencePredicates[id] = predicate
            }
        }
        let evidenceCatalog = try files.evidenceTypes(text: texts["evidence-type"], products: ids["product"] ?? [])
        let artifactTypes = try files.artifactTypes(text: texts["artifact-type"])
        for type in artifactTypes.types {
            for gate in type.gates {
                guard TrustState(rawValue: gate.to) != nil else {
                    throw PlatformError(.configInvalid, "artifact type \(type.typeId): gate to unknown trust state \(gate.to)")
                }
                for evidence in gate.evidence where evidencePredicates[evidence] == nil {
                    throw PlatformError(.configInvalid, "artifact type \(type.typeId): gate to \(gate.to) needs unknown evidence type \(evidence)")
                }
            }
        }
        // Typed views decoded from the same text: each file is read once.
        let usageUnits = try files.usageUnits(text: texts["usage-unit"])
        let gpuModels = try files.gpuModels(text: texts["gpu-model"])
        let policies = try files.policies(text: texts["policy"])
        try RegistryFiles.checkUsageUnits(usageUnits, products: ids["product"] ?? [], gpuModels: gpuModels,
                                          file: files.directory.appendingPathComponent("usage-units.yaml").path)
        let bookPath = files.directory.appendingPathComponent("price-book.yaml").path
        let bookText = try files.text(of: "price-book.yaml")
        let priceBook = try files.priceBook(text: bookText)
        try RegistryFiles.checkPriceBook(priceBook, units: usageUnits, plans: Set(policies.plans.map(\.planId)), file: bookPath)
        do {
            documents["price-book"] = Array(try JSONEncoder.sortedKeys.encode(PriceBookFile(priceBook)))
        } catch {
            throw PlatformError(.configInvalid, "registry \(bookPath) cannot be served as JSON: \(error)")
        }
        return RegistrySet(
            documents: documents, versions: versions, scopes: try files.scopes(text: texts["scope"]),
            auditActions: try files.auditActions(text: texts["audit-action"]), usageUnits: usageUnits,
            artifactTypes: artifactTypes, gpuModels: gpuModels,
            evidencePredicates: evidencePredicates, evidenceCatalog: evidenceCatalog, policies: policies, priceBook: priceBook)
    }
}

extension JSONEncoder {
    /// Sorted keys: a registry document is served byte-stable.
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension RegistrySet {
    /// The evidence-type registry's entries (owner, required fields, retention class,
    /// release-blocking, platform-made), in file order.
    public var evidenceTypes: [EvidenceTypeDefinition] { evidenceCatalog.types }

    /// Evidence id → its predicate's JSON Schema (what the evidence validator checks at attach time).
    public var evidenceSchemas: [String: JSONSchema] { evidenceCatalog.schemas }
}

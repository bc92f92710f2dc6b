import Foundation
import PlatformContracts
import Yams

/// What the semantic checks look names up in: the registries and the connect policy.
public struct ManifestContext: Sendable {
    /// Registered scopes.
    public var scopes: Set<String>
    /// Registered usage units.
    public var usageUnits: Set<String>
    /// Retired usage units: registered, but a manifest may no longer name them.
    public var retiredUsageUnits: Set<String>
    /// Usage units of the `gpu` rating category (`gpu-hour`, `gpu-hour.h100`, `gpu.second`):
    /// metering GPU time, so a manifest naming one must request GPUs.
    public var gpuUsageUnits: Set<String>
    /// Registered artifact types.
    public var artifactTypes: Set<String>
    /// GPU models and their MIG profiles.
    public var gpuModels: [String: Set<String>]
    /// The longest credential TTL a connect action may ask for, in seconds.
    public var maximumCredentialTTL: Int64

    /// Creates a context from the registry files' contents.
    public init(scopes: ScopeRegistry, usageUnits: UsageUnitRegistry, artifactTypes: ArtifactTypeRegistry, gpuModels: GPUModelRegistry,
                maximumCredentialTTL: Int64 = 900) {
        self.scopes = Set(scopes.scopes.filter { $0.lifecycle != "retired" }.map(\.scopeId))
        self.usageUnits = Set(usageUnits.units.map(\.unitId))
        self.retiredUsageUnits = Set(usageUnits.units.filter { $0.lifecycle == .retired }.map(\.unitId))
        self.gpuUsageUnits = Set(usageUnits.units.filter { $0.ratingCategory == .gpu }.map(\.unitId))
        self.artifactTypes = Set(artifactTypes.types.map(\.typeId))
        self.gpuModels = Dictionary(uniqueKeysWithValues: gpuModels.models.map { ($0.modelId, Set($0.migProfiles)) })
        self.maximumCredentialTTL = maximumCredentialTTL
    }
}

/// The result of validating one manifest.
public struct ManifestValidationReport: Sendable, Codable, Equatable {
    /// The file validated.
    public var file: String
    /// Whether it has no errors (warnings allowed).
    public var valid: Bool
    /// Every problem, in file order.
    public var diagnostics: [ManifestDiagnostic]
}

/// Validates app manifests offline: YAML with positions, the JSON Schema's rules, then
/// the semantic rules (references resolve, ports unique, names registered, TTLs within
/// policy). Every problem is collected with a stable code, a JSON pointer and
/// `file:line:column`.
///
/// ```swift
/// let validator = ManifestValidator(schema: try JSONSchema(data: schemaData), context: context)
/// let report = validator.validate(text: yaml, file: "jupyter.yaml")
/// ```
public struct ManifestValidator: Sendable {
    let schema: JSONSchema
    let context: ManifestContext
    /// What a manifest may cost to read; checked before the YAML is composed.
    public var limits: DocumentLimits = .standard

    /// Creates a validator.
    public init(schema: JSONSchema, context: ManifestContext) {
        self.schema = schema
        self.context = context
    }

    /// Validates one manifest's text.
    public func validate(text: String, file: String) -> ManifestValidationReport {
        do {
            try limits.check(yaml: text)
        } catch {
            // Nothing else is looked at: composing, let alone expanding, is what the limit prevents.
            return report(file, [ManifestDiagnostic(code: error.code.rawValue, pointer: "", file: file,
                                                    at: SourceLocation(line: error.line, column: error.column), message: error.message)])
        }
        let node: Node?
        do {
            // The basic resolver skips Yams' per-scalar regular expressions; LocatedValue types plain scalars itself.
            node = try Yams.compose(yaml: text, .basic)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            return report(file, duplicates.sorted().map { key in
                ManifestDiagnostic(code: "manifest.duplicate_key", pointer: "/\(escape(key))", file: file,
                                   at: SourceLocation(line: context.mark.line, column: context.mark.column),
                                   message: "key `\(key)` appears more than once in this mapping")
            })
        } catch let error as YamlError {
            return report(file, [yamlDiagnostic(error, file: file)])
        } catch {
            return report(file, [ManifestDiagnostic(code: "manifest.yaml_invalid", pointer: "", file: file, at: .init(line: 1, column: 1), message: "\(error)")])
        }
        guard let node else {
            return report(file, [ManifestDiagnostic(code: "manifest.empty", pointer: "", file: file, at: .init(line: 1, column: 1), message: "the file holds no document")])
        }
        let value = LocatedValue(node)
        var walk = SchemaValidation(root: schema, file: file)
        walk.validate(value, schema, pointer: "")
        var semantics = SemanticChecks(context: context, file: file)
        if case .object = value { semantics.check(value) }
        return report(file, walk.diagnostics + semantics.diagnostics)
    }

    private func report(_ file: String, _ diagnostics: [ManifestDiagnostic]) -> ManifestValidationReport {
        let ordered = diagnostics.sorted { ($0.line, $0.column, $0.code, $0.pointer) < ($1.line, $1.column, $1.code, $1.pointer) }
        return ManifestValidationReport(file: file, valid: !ordered.contains { $0.severity == .error }, diagnostics: ordered)
    }

    private func yamlDiagnostic(_ error: YamlError, file: String) -> ManifestDiagnostic {
        var location = SourceLocation(line: 1, column: 1)
        var message = "\(error)"
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            location = SourceLocation(line: mark.line, column: mark.column)
            message = problem
        case .composer(_, let problem, let mark, _):
            location = SourceLocation(line: mark.line, column: mark.column)
            message = problem
        default:
            break
        }
        return ManifestDiagnostic(code: "manifest.yaml_invalid", pointer: "", file: file, at: location, message: "not valid YAML: \(message)")
    }
}

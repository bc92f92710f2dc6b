import Foundation

/// One place where a JSON document breaks its schema.
public struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// JSON pointer to the offending value (`/runs/0/results`), `""` for the root.
    public var pointer: String
    /// What is wrong.
    public var reason: String
    /// Stable rule code (`manifest.required_missing`, …): the manifest validator's rule names.
    public var rule: String

    /// `/pointer: reason`.
    public var description: String { "\(pointer.isEmpty ? "/" : pointer): \(reason)" }
}

extension JSONSchema {
    /// The keys the schema's root object requires: registries check that what they promise to
    /// require is what the schema enforces.
    public var requiredKeys: [String] { required }

    /// The names of the schema's `$defs`.
    public var definitionNames: [String] { definitions.keys.sorted() }

    /// Validates a JSON document (evidence predicates, which arrive as JSON rather than YAML)
    /// with the same rules as manifests, collecting every violation.
    /// - Parameter definition: Validate against `#/$defs/<definition>` instead of the root
    ///   (one schema file can describe alternative shapes, e.g. SARIF or CycloneDX).
    /// - Returns: The violations, empty when the document is valid; a document that is not
    ///   JSON is one violation at the root.
    public func violations(ofJSON data: Data, definition: String? = nil) -> [SchemaViolation] {
        let value: JSONAny
        do {
            value = try JSONDecoder().decode(JSONAny.self, from: data)
        } catch {
            return [SchemaViolation(pointer: "", reason: "not JSON", rule: "manifest.type_mismatch")]
        }
        let target: JSONSchema
        if let definition {
            guard let named = definitions[definition] else {
                return [SchemaViolation(pointer: "", reason: "the schema has no definition \(definition)", rule: "manifest.schema")]
            }
            target = named
        } else {
            target = self
        }
        var validation = SchemaValidation(root: self, file: "")
        validation.validate(Self.located(value), target, pointer: "")
        return validation.diagnostics.map { SchemaViolation(pointer: $0.pointer, reason: $0.message, rule: $0.code) }
    }

    /// The JSON value as the validator's tree (JSON has no source positions worth keeping).
    static func located(_ value: JSONAny) -> LocatedValue {
        let here = SourceLocation(line: 1, column: 1)
        switch value {
        case .object(let members):
            return .object(members.sorted { $0.key < $1.key }.map { LocatedValue.Member(key: $0.key, keyLocation: here, value: located($0.value)) }, here)
        case .array(let items): return .array(items.map(located), here)
        case .string(let text): return .string(text, here)
        case .integer(let number): return .integer(number, here)
        case .double(let number): return .number(number, here)
        case .bool(let flag): return .bool(flag, here)
        case .null: return .null(here)
        }
    }
}

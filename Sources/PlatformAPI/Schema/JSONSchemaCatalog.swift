/// Derives JSON Schemas from `Decodable` types and keeps the named ones as components, the
/// way the OpenAPI document lists them under `#/components/schemas`.
///
/// Derivation runs the type's own `init(from:)` against a reflecting decoder
/// (``SchemaDerivation``): each key it reads with `decode` is a required property, each it
/// reads with `decodeIfPresent` an optional one that admits `null`; strings, integers (with
/// their width), numbers and booleans are primitives; arrays give `items`, string-keyed
/// dictionaries `additionalProperties`; a struct becomes a `$ref` to a component named after
/// the type (`InstanceRecord.Endpoint` → `InstanceRecordEndpoint`); a `CaseIterable` enum
/// with `String` raw values becomes a component listing its raw values. What reflection
/// cannot see is stated with ``JSONSchemaDescribing`` or ``JSONSchemaPropertyDescribing``.
/// Because the schema is whatever the decoder reads, the document cannot describe a field
/// the server does not decode, nor miss one it does.
///
/// ```swift
/// var catalog = JSONSchemaCatalog()
/// let schema = try catalog.schema(for: [InstanceRecord].self)   // {"type":"array","items":{"$ref":…/InstanceRecord}}
/// catalog.components["InstanceRecord"]?.required                // ["adapter", "app", …]
/// ```
public struct JSONSchemaCatalog: Sendable {
    /// The named schemas derived so far.
    public private(set) var components: [String: JSONSchema] = [:]
    /// Who registered each name (a type's full name, or the property that named a schema):
    /// a second owner of a name is a collision, reported instead of overwriting.
    private var owners: [String: String] = [:]

    /// An empty catalog.
    public init() {}

    /// The schema of `type`: a `$ref` for structs and enums (their components are added to
    /// ``components``), inline otherwise.
    /// - Throws: ``SchemaDerivationError`` when the type cannot be walked (a validation the
    ///   sample values do not pass, a recursive type) or two types claim one component name.
    public mutating func schema(for type: any Decodable.Type) throws(SchemaDerivationError) -> JSONSchema {
        let derivation = SchemaDerivation(catalog: self)
        let schema = try derivation.schemaOf(type)
        self = derivation.catalog
        return schema
    }

    /// Adds (or confirms) a named schema.
    /// - Throws: ``SchemaDerivationError`` when `name` already belongs to another owner or
    ///   holds a different schema.
    public mutating func register(_ name: String, _ schema: JSONSchema, owner: String) throws(SchemaDerivationError) {
        if let existing = owners[name], existing != owner || components[name] != schema {
            throw SchemaDerivationError(
                .nameCollision, type: owner,
                "component \(name) is claimed by \(existing) and by \(owner); rename one of the types or describe it explicitly")
        }
        owners[name] = owner
        components[name] = schema
    }

    /// The component name of a type: its full name without the module, letters and digits
    /// only (`PlatformContracts.InstanceRecord.Endpoint` → `InstanceRecordEndpoint`).
    public static func componentName(for type: Any.Type) -> String {
        let full = String(reflecting: type)
        let withoutModule = full.firstIndex(of: ".").map { full[full.index(after: $0)...] } ?? full[...]
        return String(withoutModule.filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }
}

/// Why a schema could not be derived.
public struct SchemaDerivationError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: Sendable, Hashable {
        /// Two types (or a type and a named property schema) claim one component name.
        case nameCollision
        /// The type contains itself; describe it with ``JSONSchemaDescribing``.
        case recursive
        /// `init(from:)` refused the reflecting decoder's sample values.
        case reflection
    }

    /// The kind.
    public let kind: Kind
    /// The type concerned.
    public let type: String
    /// What happened and what to do.
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, type: String, _ message: String) {
        self.kind = kind
        self.type = type
        self.message = message
    }

    public var description: String { "\(type): \(message)" }
}

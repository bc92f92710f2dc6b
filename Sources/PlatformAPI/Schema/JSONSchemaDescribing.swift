/// A type that states its schema instead of having it derived: reflection only sees what
/// `init(from:)` asks for, so a type whose decoding tries alternatives (``JSONValue``) or
/// validates its text (`Timestamp`, which refuses anything but RFC 3339) says what it is here.
///
/// ```swift
/// extension Timestamp: JSONSchemaDescribing {
///     public static var jsonSchema: JSONSchema { JSONSchema(.string(format: "date-time")) }
///     public static var jsonSchemaSample: Timestamp { Timestamp(millisecondsSinceEpoch: 0) }
/// }
/// ```
public protocol JSONSchemaDescribing: Decodable {
    /// The schema, used inline wherever the type appears.
    static var jsonSchema: JSONSchema { get }
    /// A valid value, which the reflecting decoder hands to the `init(from:)` that asked for
    /// one, so the walk of the enclosing type goes on.
    static var jsonSchemaSample: Self { get }
}

/// A type whose derived schema is right except for some properties: a string the type
/// validates (an instance phase name), a pattern the server enforces (a DNS-label name), a
/// closed vocabulary kept as `String` in Swift. Keys are the coding keys' string values.
public protocol JSONSchemaPropertyDescribing: Decodable {
    /// The properties reflection cannot describe on its own.
    static var jsonSchemaProperties: [String: JSONSchemaProperty] { get }
}

/// What ``JSONSchemaPropertyDescribing`` says about one property.
public struct JSONSchemaProperty: Sendable {
    /// Its schema (optional and nullable still come from `decode` vs `decodeIfPresent`).
    public var schema: JSONSchema
    /// The component name to register `schema` under (a shared vocabulary such as
    /// `InstancePhase`); `nil` keeps it inline.
    public var componentName: String?
    /// The value the reflecting decoder returns for the key (it must pass the type's own
    /// validation); `nil` derives one from the Swift type as usual.
    public var sample: (any Sendable)?

    /// Describes a property.
    public init(_ schema: JSONSchema, componentName: String? = nil, sample: (any Sendable)? = nil) {
        self.schema = schema
        self.componentName = componentName
        self.sample = sample
    }

    /// A string of a closed vocabulary, sampled with its first value.
    public static func oneOf(_ values: [String], componentName: String? = nil) -> JSONSchemaProperty {
        JSONSchemaProperty(JSONSchema(.string(values: values)), componentName: componentName, sample: values.first)
    }

    /// A string matching `pattern`, sampled with `sample`.
    public static func pattern(_ pattern: String, sample: String) -> JSONSchemaProperty {
        JSONSchemaProperty(JSONSchema(.string(pattern: pattern)), sample: sample)
    }
}

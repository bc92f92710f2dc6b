/// A JSON Schema (the 2020-12 subset OpenAPI 3.1 documents use), typed so that tests and the
/// document generator read it as values rather than dictionaries. ``JSONSchemaCatalog``
/// derives one for any `Decodable` type; ``jsonObject`` renders it for `JSONSerialization`.
public struct JSONSchema: Sendable, Hashable {
    /// What values the schema admits.
    public indirect enum Shape: Sendable, Hashable {
        /// Any JSON value (`{}`).
        case any
        /// A string, optionally with a format, a pattern or a closed set of values.
        case string(format: String? = nil, pattern: String? = nil, values: [String]? = nil)
        /// A whole number, optionally bounded.
        case integer(format: String?, minimum: Int64? = nil, maximum: Int64? = nil)
        /// A number with a fraction.
        case number(format: String?)
        /// `true` or `false`.
        case boolean
        /// An array of `items`.
        case array(JSONSchema)
        /// An object with named properties (`additionalProperties: false` is never said: a
        /// newer server may add fields), or a map when `additionalProperties` is set.
        case object(properties: [String: JSONSchema], required: [String], additionalProperties: JSONSchema?)
        /// A named component, `#/components/schemas/<name>`.
        case reference(String)
    }

    /// The shape.
    public var shape: Shape
    /// Whether `null` is admitted too (a property the type decodes with `decodeIfPresent`).
    public var nullable: Bool
    /// One line for readers.
    public var description: String?

    /// Creates a schema.
    public init(_ shape: Shape, nullable: Bool = false, description: String? = nil) {
        self.shape = shape
        self.nullable = nullable
        self.description = description
    }

    /// `{}`.
    public static let any = JSONSchema(.any)
    /// `{"type": "string"}`.
    public static let string = JSONSchema(.string())

    /// The same schema admitting `null`.
    public var orNull: JSONSchema { var copy = self; copy.nullable = true; return copy }

    /// The referenced component's name when this is a `$ref`.
    public var referenceName: String? { if case .reference(let name) = shape { name } else { nil } }

    /// The properties of an object schema (empty otherwise).
    public var properties: [String: JSONSchema] {
        if case .object(let properties, _, _) = shape { properties } else { [:] }
    }

    /// The required properties of an object schema (empty otherwise).
    public var required: [String] {
        if case .object(_, let required, _) = shape { required } else { [] }
    }

    /// The `$ref` path of a component.
    public static func referencePath(_ name: String) -> String { "#/components/schemas/\(name)" }

    /// The schema as Foundation values (`[String: Any]`, arrays, strings, numbers) for
    /// `JSONSerialization`. A nullable primitive lists `"null"` in `type`; a nullable
    /// reference, enum, array or object becomes `anyOf` with `{"type": "null"}` (so an
    /// enum's values stay exact and a `$ref` keeps no siblings).
    public var jsonObject: [String: Any] {
        var object: [String: Any]
        var primitive: String?
        switch shape {
        case .any:
            object = [:]
        case .string(let format, let pattern, let values):
            object = ["type": "string"]
            if let format { object["format"] = format }
            if let pattern { object["pattern"] = pattern }
            if let values { object["enum"] = values } else { primitive = "string" }
        case .integer(let format, let minimum, let maximum):
            object = ["type": "integer"]
            if let format { object["format"] = format }
            if let minimum { object["minimum"] = minimum }
            if let maximum { object["maximum"] = maximum }
            primitive = "integer"
        case .number(let format):
            object = ["type": "number"]
            if let format { object["format"] = format }
            primitive = "number"
        case .boolean:
            object = ["type": "boolean"]
            primitive = "boolean"
        case .array(let items):
            object = ["type": "array", "items": items.jsonObject]
        case .object(let properties, let required, let additional):
            object = ["type": "object"]
            if !properties.isEmpty { object["properties"] = properties.mapValues(\.jsonObject) }
            if !required.isEmpty { object["required"] = required }
            if let additional { object["additionalProperties"] = additional.jsonObject }
        case .reference(let name):
            object = ["$ref": Self.referencePath(name)]
        }
        if nullable {
            if let primitive {
                object["type"] = [primitive, "null"]
            } else if case .any = shape {
            } else {
                object = ["anyOf": [object, ["type": "null"]]]
            }
        }
        if let description { object["description"] = description }
        return object
    }
}

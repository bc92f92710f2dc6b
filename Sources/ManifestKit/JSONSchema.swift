import Foundation

/// The subset of JSON Schema 2020-12 the manifest schema uses: `type`, `const`, `enum`,
/// `properties`, `required`, `additionalProperties`, `pattern`, `minimum`, `maximum`,
/// `minLength`, `maxLength`, `minItems`, `items`, `$ref` into `$defs`. Any other keyword
/// in the schema file is refused at load, so the file can never promise a rule that is
/// silently not enforced.
public final class JSONSchema: Sendable {
    /// A literal in `const` or `enum`.
    enum Literal: Sendable, Hashable, CustomStringConvertible {
        case string(String)
        case integer(Int64)
        case bool(Bool)

        init?(_ json: JSONAny) {
            switch json {
            case .bool(let flag): self = .bool(flag)
            case .integer(let value): self = .integer(value)
            case .string(let text): self = .string(text)
            default: return nil
            }
        }

        var description: String {
            switch self {
            case .string(let text): text
            case .integer(let value): String(value)
            case .bool(let value): String(value)
            }
        }
    }

    enum Additional: Sendable {
        case allowed
        case forbidden
        case schema(JSONSchema)
    }

    let types: [String]?
    let constValue: Literal?
    let enumValues: [Literal]?
    let properties: [String: JSONSchema]
    let propertyOrder: [String]
    let required: [String]
    let additional: Additional
    let pattern: String?
    /// Compiled once at load: validation runs the same patterns thousands of times.
    let regex: NSRegularExpression?
    let minimum: Double?
    let maximum: Double?
    let minLength: Int?
    let maxLength: Int?
    let minItems: Int?
    let items: JSONSchema?
    let ref: String?
    let definitions: [String: JSONSchema]

    static let keywords: Set<String> = [
        "$schema", "$id", "$defs", "$ref", "title", "description", "type", "const", "enum", "properties", "required",
        "additionalProperties", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems", "items",
    ]

    /// Loads a schema document.
    /// - Throws: ``SchemaError`` naming an unsupported keyword or malformed part.
    public convenience init(data: Data) throws {
        guard case .object(let object) = try JSONDecoder().decode(JSONAny.self, from: data) else {
            throw SchemaError(message: "the schema is not a JSON object")
        }
        try self.init(object: object, path: "#")
    }

    init(object: [String: JSONAny], path: String) throws {
        if let unsupported = object.keys.sorted().first(where: { !Self.keywords.contains($0) }) {
            throw SchemaError(message: "\(path): keyword \(unsupported) is not supported by the validator")
        }
        switch object["type"] {
        case .string(let single): types = [single]
        case .array(let several): types = several.compactMap(\.string)
        default: types = nil
        }
        constValue = object["const"].flatMap(Literal.init)
        enumValues = object["enum"]?.array?.compactMap(Literal.init)
        let propertyObjects = object["properties"]?.object ?? [:]
        propertyOrder = propertyObjects.keys.sorted()
        properties = try propertyObjects.reduce(into: [:]) { result, entry in
            guard let child = entry.value.object else { throw SchemaError(message: "\(path)/properties/\(entry.key) is not a schema") }
            result[entry.key] = try JSONSchema(object: child, path: "\(path)/properties/\(entry.key)")
        }
        required = object["required"]?.array?.compactMap(\.string) ?? []
        switch object["additionalProperties"] {
        case .bool(let flag): additional = flag ? .allowed : .forbidden
        case .object(let child): additional = .schema(try JSONSchema(object: child, path: "\(path)/additionalProperties"))
        default: additional = .allowed
        }
        pattern = object["pattern"]?.string
        do {
            regex = try pattern.map { try NSRegularExpression(pattern: $0) }
        } catch {
            throw SchemaError(message: "\(path)/pattern is not a valid regular expression: \(error)")
        }
        minimum = object["minimum"]?.double
        maximum = object["maximum"]?.double
        minLength = object["minLength"]?.double.map { Int($0) }
        maxLength = object["maxLength"]?.double.map { Int($0) }
        minItems = object["minItems"]?.double.map { Int($0) }
        items = try object["items"]?.object.map { try JSONSchema(object: $0, path: "\(path)/items") }
        ref = object["$ref"]?.string
        definitions = try (object["$defs"]?.object ?? [:]).reduce(into: [:]) { result, entry in
            guard let child = entry.value.object else { throw SchemaError(message: "\(path)/$defs/\(entry.key) is not a schema") }
            result[entry.key] = try JSONSchema(object: child, path: "#/$defs/\(entry.key)")
        }
    }
}

/// The schema file itself is broken.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// Any JSON value, decoded strictly (a number is never a boolean): schemas, and the
/// predicates the evidence service checks against them.
public indirect enum JSONAny: Decodable, Sendable, Equatable {
    case object([String: JSONAny])
    case array([JSONAny])
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else if let items = try? container.decode([JSONAny].self) { self = .array(items) }
        else { self = .object(try container.decode([String: JSONAny].self)) }
    }

    public var object: [String: JSONAny]? { if case .object(let value) = self { return value } else { return nil } }
    public var array: [JSONAny]? { if case .array(let value) = self { return value } else { return nil } }
    public var string: String? { if case .string(let value) = self { return value } else { return nil } }
    public var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}

import Yams

/// A position in a source file, 1-based.
public struct SourceLocation: Sendable, Hashable, Codable {
    /// Line number.
    public var line: Int
    /// Column number.
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A YAML value that remembers where it was written, so every diagnostic can say
/// `file:line:column`.
public indirect enum LocatedValue: Sendable {
    /// One key of a mapping, with the key's own position.
    public struct Member: Sendable {
        /// The key.
        public var key: String
        /// Where the key is written.
        public var keyLocation: SourceLocation
        /// The value.
        public var value: LocatedValue
    }

    /// A mapping, in document order.
    case object([Member], SourceLocation)
    /// A sequence.
    case array([LocatedValue], SourceLocation)
    /// A string scalar.
    case string(String, SourceLocation)
    /// An integer scalar.
    case integer(Int64, SourceLocation)
    /// A non-integral number.
    case number(Double, SourceLocation)
    /// A boolean.
    case bool(Bool, SourceLocation)
    /// `null` or an empty value.
    case null(SourceLocation)

    /// Where the value starts.
    public var location: SourceLocation {
        switch self {
        case .object(_, let l), .array(_, let l), .string(_, let l), .integer(_, let l), .number(_, let l), .bool(_, let l), .null(let l): l
        }
    }

    /// The JSON Schema type name of the value.
    public var typeName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }

    /// The member value for `key` in a mapping.
    public subscript(key: String) -> LocatedValue? {
        if case .object(let members, _) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    /// The elements of a sequence (empty otherwise).
    public var elements: [LocatedValue] {
        if case .array(let items, _) = self { return items }
        return []
    }

    /// The string, if this is a string scalar.
    public var stringValue: String? {
        if case .string(let text, _) = self { return text }
        return nil
    }

    /// The integer, if this is an integer scalar.
    public var integerValue: Int64? {
        if case .integer(let value, _) = self { return value }
        return nil
    }

    /// Builds the tree from a composed YAML node.
    public init(_ node: Node) {
        let location = SourceLocation(line: node.mark.map { $0.line } ?? 1, column: node.mark.map { $0.column } ?? 1)
        switch node {
        case .mapping(let mapping):
            self = .object(mapping.map { key, value in
                Member(
                    key: key.string ?? "",
                    keyLocation: SourceLocation(line: key.mark?.line ?? location.line, column: key.mark?.column ?? location.column),
                    value: LocatedValue(value))
            }, location)
        case .sequence(let sequence):
            self = .array(sequence.map(LocatedValue.init), location)
        case .scalar(let scalar):
            self = Self.scalar(scalar, location)
        case .alias:
            self = .null(location)
        }
    }

    private static func scalar(_ scalar: Node.Scalar, _ location: SourceLocation) -> LocatedValue {
        let text = scalar.string
        guard scalar.style == .plain else { return .string(text, location) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null(location)
        case "true", "True", "TRUE": return .bool(true, location)
        case "false", "False", "FALSE": return .bool(false, location)
        default: break
        }
        if let value = Int64(text) { return .integer(value, location) }
        if text.contains("."), let value = Double(text) { return .number(value, location) }
        return .string(text, location)
    }
}

import Foundation

/// A predicate as a JSON tree, decoded strictly (a number is never a boolean), so facts are
/// read from exactly what the schema checked.
indirect enum EvidenceJSON: Decodable, Sendable, Equatable {
    case object([String: EvidenceJSON])
    case array([EvidenceJSON])
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else if let items = try? container.decode([EvidenceJSON].self) { self = .array(items) }
        else { self = .object(try container.decode([String: EvidenceJSON].self)) }
    }

    subscript(key: String) -> EvidenceJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var object: [String: EvidenceJSON]? { if case .object(let value) = self { value } else { nil } }
    var array: [EvidenceJSON]? { if case .array(let value) = self { value } else { nil } }
    var string: String? { if case .string(let value) = self { value } else { nil } }

    /// A number, or a number written as a string (SARIF's `security-severity` is a string).
    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// A scalar as a fact's text; `nil` for objects, arrays and null.
    var factText: String? {
        switch self {
        case .string(let text): text
        case .integer(let value): String(value)
        case .double(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let flag): String(flag)
        default: nil
        }
    }
}

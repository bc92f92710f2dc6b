import Foundation
import ManifestKit

/// A predicate as a JSON tree: ManifestKit's strict JSON value (a number is never a boolean),
/// the same one its schema validator reads, so facts are read from exactly what the schema checked.
typealias EvidenceJSON = JSONAny

extension JSONAny {
    subscript(key: String) -> JSONAny? { object?[key] }

    /// A number, or a number written as a string (SARIF's `security-severity` is a string).
    var number: Double? {
        if case .string(let text) = self { return Double(text.trimmingCharacters(in: .whitespaces)) }
        return double
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

import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (or a query string), in order;
/// a name may repeat (multi-select, checkboxes).
public struct ConsoleForm: Sendable, Equatable {
    /// Every field, in document order.
    public let fields: [(name: String, value: String)]

    /// No fields.
    public init() { fields = [] }

    /// Parses `a=1&b=x+y` (`+` is a space, `%XX` is a byte, undecodable text is kept as sent).
    public init(urlEncoded text: String) {
        fields = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value of `name`.
    public subscript(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value of `name`.
    public func all(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// The first value of `name`, trimmed, or `nil` when missing or blank.
    public func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    public static func == (lhs: ConsoleForm, rhs: ConsoleForm) -> Bool {
        lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }
}

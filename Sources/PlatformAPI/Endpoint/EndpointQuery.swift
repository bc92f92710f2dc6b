import PlatformContracts

/// The typed query parameters of an endpoint: the server parses them (bounded numbers,
/// stable errors), the client writes them, and the OpenAPI document lists ``fields``.
public protocol EndpointQuery: Sendable {
    /// The parameters the endpoint reads.
    static var fields: [QueryField] { get }
    /// Parses the parameters; `value` returns a parameter's (percent-decoded) text.
    init(reading value: (String) -> String?) throws(PlatformError)
    /// The parameters to send, in ``fields`` order; absent ones left out.
    var items: [(name: String, value: String)] { get }
}

/// One query parameter as documented.
public struct QueryField: Sendable {
    /// What values it takes.
    public enum Kind: Sendable {
        /// Text.
        case string
        /// A whole number within the bounds.
        case integer(ClosedRange<Int64>)
    }

    /// Its name.
    public let name: String
    /// Its values.
    public let kind: Kind
    /// Whether a request must carry it.
    public let required: Bool
    /// One line for the reference.
    public let summary: String

    /// Creates a field.
    public init(_ name: String, _ kind: Kind, required: Bool = false, _ summary: String) {
        self.name = name; self.kind = kind; self.required = required; self.summary = summary
    }

    /// `text` (the value of parameter or header `name`) as a number within `bounds`: plain
    /// ASCII digits only, so `-1`, `+1`, ` 1` and overflow are refused with
    /// ``ErrorCode/httpParameterInvalid`` naming the parameter, before arithmetic sees them.
    public static func number(_ text: String, name: String, in bounds: ClosedRange<Int64>) throws(PlatformError) -> Int64 {
        guard let value = DecimalField.int64(text, in: bounds) else {
            throw PlatformError(
                .httpParameterInvalid, "\(name) must be a whole number \(bounds.lowerBound)…\(bounds.upperBound); got \"\(text.prefix(40))\"",
                details: ["parameter": name])
        }
        return value
    }

    /// The field's value when present, parsed as a number within its bounds.
    func number(_ value: (String) -> String?) throws(PlatformError) -> Int64? {
        guard let text = value(name) else {
            if required { throw PlatformError(.httpParameterInvalid, "the query parameter \(name) is required", details: ["parameter": name]) }
            return nil
        }
        guard case .integer(let bounds) = kind else { return nil }
        return try Self.number(text, name: name, in: bounds)
    }
}

/// No query parameters.
public struct NoQuery: EndpointQuery {
    public static let fields: [QueryField] = []
    /// The only value.
    public init() {}
    public init(reading value: (String) -> String?) throws(PlatformError) {}
    public var items: [(name: String, value: String)] { [] }
}

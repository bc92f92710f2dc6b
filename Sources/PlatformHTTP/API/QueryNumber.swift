import HTTPTypes
import Hummingbird
import PlatformAPI
import PlatformContracts

/// Numbers a client puts in a query string or header of the routes outside `/v1` (the OCI
/// registry's `n`), parsed into a bounded range before any arithmetic sees them; the `/v1`
/// endpoints parse theirs through their typed queries (PlatformAPI's `QueryField.number`, the
/// same rule).
///
/// `Int("-1")` and `Int64("9223372036854775807")` are valid Swift, and both once reached the
/// server: a limit of -1 returned one audit record, an offset of `Int64.max` made `lseek` fail
/// with a 500. Here a value must be plain digits inside `bounds`, or the request is refused
/// with ``ErrorCode/httpParameterInvalid`` (400) naming the parameter.
///
/// ```swift
/// let limit = try QueryNumber.value(request, "limit", in: 1...1000, default: 100)
/// ```
enum QueryNumber {
    /// The query parameter `name` within `bounds`, `fallback` when it is absent.
    static func value(_ request: Request, _ name: String, in bounds: ClosedRange<Int64>, default fallback: Int64) throws(PlatformError) -> Int64 {
        try optional(request, name, in: bounds) ?? fallback
    }

    /// The query parameter `name` within `bounds`, `nil` when it is absent.
    static func optional(_ request: Request, _ name: String, in bounds: ClosedRange<Int64>) throws(PlatformError) -> Int64? {
        guard let text = request.uri.queryParameters[Substring(name)] else { return nil }
        return try parse(String(text), name: name, in: bounds)
    }

    /// `text` (a parameter or header value called `name`) within `bounds`: the `/v1` queries'
    /// rule (``QueryField/number(_:name:in:)``), so `/v2` and `/v1` refuse the same inputs alike.
    static func parse(_ text: String, name: String, in bounds: ClosedRange<Int64>) throws(PlatformError) -> Int64 {
        try QueryField.number(text, name: name, in: bounds)
    }
}

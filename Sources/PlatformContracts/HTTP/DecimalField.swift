/// Strict parsing of the unsigned decimal numbers HTTP headers and query parameters carry.
///
/// Swift's `Int64(_:)` accepts a leading `+` or `-`, so `bytes=--9223372036854775808` once
/// reached arithmetic as `Int64.min` and trapped the server. HTTP's grammar (`1*DIGIT`) has no
/// sign, so anything but ASCII digits is refused here, and values past `Int64.max` are refused
/// instead of wrapping.
public enum DecimalField {
    /// The value of `text` when it is 1…19 ASCII digits that fit in `Int64`, else `nil`.
    ///
    /// ```swift
    /// DecimalField.int64("42")    // 42
    /// DecimalField.int64("-1")    // nil
    /// DecimalField.int64("+1")    // nil
    /// ```
    public static func int64<S: StringProtocol>(_ text: S) -> Int64? {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= 19 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { return nil }
            value = next
        }
        return value
    }

    /// ``int64(_:)`` within `bounds`, else `nil`.
    public static func int64<S: StringProtocol>(_ text: S, in bounds: ClosedRange<Int64>) -> Int64? {
        guard let value = int64(text), bounds.contains(value) else { return nil }
        return value
    }
}

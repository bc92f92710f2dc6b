import PlatformContracts

/// One satisfiable `Range: bytes=…` request against a representation of known size (RFC 9110
/// §14.1.2), as inclusive offsets with `0 ≤ first ≤ last < size`.
///
/// The parser is pure and total: any header text and any size give a value or a
/// ``ErrorCode/blobRangeInvalid`` error, never a trap, so it can be fuzzed directly.
///
/// ```swift
/// let range = try ByteRange.parse("bytes=-100", size: 1000)   // 900...999
/// range.length                                                // 100
/// range.contentRange(size: 1000)                              // "bytes 900-999/1000"
/// ```
public struct ByteRange: Sendable, Equatable {
    /// The first byte offset, inclusive.
    public let first: Int64
    /// The last byte offset, inclusive.
    public let last: Int64

    /// The number of bytes (≥ 1; cannot overflow since `0 ≤ first ≤ last < Int64.max`).
    public var length: Int64 { last - first + 1 }

    /// The `Content-Range` value of a 206 answer.
    public func contentRange(size: Int64) -> String { "bytes \(first)-\(last)/\(size)" }

    /// Parses one `bytes=a-b`, `bytes=a-` or `bytes=-n` range against `size`.
    ///
    /// A last offset past the end is clamped to the end and a suffix longer than the
    /// representation selects all of it, as RFC 9110 asks.
    /// - Throws: ``ErrorCode/blobRangeInvalid`` (416) when the header is not one byte range,
    ///   a number is not 1…19 plain digits, `b < a`, or nothing of a `size`-byte
    ///   representation is selected (including every range of an empty one).
    public static func parse(_ header: String, size: Int64) throws(PlatformError) -> ByteRange {
        let shown = String(header.prefix(60))
        guard size >= 0 else { throw PlatformError(.blobRangeInvalid, "cannot satisfy a range of a representation of negative size") }
        let text = header.trimmingASCIISpaces()
        guard text.utf8.count > 6, text.prefix(6).lowercased() == "bytes=" else {
            throw PlatformError(.blobRangeInvalid, "unsupported Range \"\(shown)\"; one bytes=a-b range is supported")
        }
        let spec = Substring(text.dropFirst(6)).trimmingASCIISpaces()
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
            throw PlatformError(.blobRangeInvalid, "unsupported Range \"\(shown)\"; one bytes=a-b range is supported")
        }
        let firstText = spec[..<dash]
        let lastText = spec[spec.index(after: dash)...]
        let lower: Int64, upper: Int64
        if firstText.isEmpty {
            guard let suffix = DecimalField.int64(lastText) else {
                throw PlatformError(.blobRangeInvalid, "malformed Range \"\(shown)\"")
            }
            guard suffix > 0, size > 0 else {
                throw PlatformError(.blobRangeInvalid, "range \"\(shown)\" selects nothing of a blob of \(size) bytes", details: ["size": String(size)])
            }
            lower = size - min(suffix, size)
            upper = size - 1
        } else {
            guard let start = DecimalField.int64(firstText) else {
                throw PlatformError(.blobRangeInvalid, "malformed Range \"\(shown)\"")
            }
            if lastText.isEmpty {
                upper = size - 1
            } else {
                guard let end = DecimalField.int64(lastText), end >= start else {
                    throw PlatformError(.blobRangeInvalid, "malformed Range \"\(shown)\"")
                }
                upper = min(end, size - 1)
            }
            lower = start
        }
        guard lower < size, lower <= upper else {
            throw PlatformError(.blobRangeInvalid, "range \"\(shown)\" is outside a blob of \(size) bytes", details: ["size": String(size)])
        }
        return ByteRange(first: lower, last: upper)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    func trimmingASCIISpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let all = self[...]
        guard let start = all.firstIndex(where: { !isSpace($0) }), let end = all.lastIndex(where: { !isSpace($0) }) else {
            return Substring()
        }
        return Substring(all[start...end])
    }
}

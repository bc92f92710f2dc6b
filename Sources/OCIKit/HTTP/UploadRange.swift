import PlatformContracts

/// The `Content-Range` of an OCI chunked-upload `PATCH`: `<first>-<last>` (the distribution
/// spec's form) or RFC 9110's `bytes <first>-<last>/<total|*>`, as inclusive offsets with
/// `0 ≤ first ≤ last`.
///
/// Pure and total, like ``ByteRange``: any text gives a value or
/// ``ErrorCode/artifactRangeInvalid`` (416), never a trap.
///
/// ```swift
/// let chunk = try UploadRange.parse("1024-2047")   // first 1024, last 2047, length 1024
/// ```
public struct UploadRange: Sendable, Equatable {
    /// The offset of the chunk's first byte in the blob.
    public let first: Int64
    /// The offset of the chunk's last byte in the blob.
    public let last: Int64

    /// The chunk's length in bytes (cannot overflow since `0 ≤ first ≤ last ≤ Int64.max - 1`).
    public var length: Int64 { last - first + 1 }

    /// Parses a chunk's `Content-Range`.
    /// - Throws: ``ErrorCode/artifactRangeInvalid`` when it is not one of the two forms, a
    ///   number is not 1…19 plain digits, `last < first`, `last` is `Int64.max`, or a stated
    ///   total is smaller than `last + 1`.
    public static func parse(_ header: String) throws(PlatformError) -> UploadRange {
        let shown = String(header.prefix(60))
        var text = header.trimmingASCIISpaces()
        var total: Substring?
        if text.prefix(6).lowercased() == "bytes " {
            text = Substring(text.dropFirst(6)).trimmingASCIISpaces()
            guard let slash = text.firstIndex(of: "/") else {
                throw PlatformError(.artifactRangeInvalid, "malformed Content-Range \"\(shown)\"")
            }
            total = text[text.index(after: slash)...]
            text = text[..<slash]
        }
        guard let dash = text.firstIndex(of: "-"),
              let first = DecimalField.int64(text[..<dash]),
              let last = DecimalField.int64(text[text.index(after: dash)...]),
              first <= last, last < Int64.max else {
            throw PlatformError(.artifactRangeInvalid, "malformed Content-Range \"\(shown)\"")
        }
        if let total, total != "*" {
            guard let size = DecimalField.int64(total), size > last else {
                throw PlatformError(.artifactRangeInvalid, "Content-Range \"\(shown)\" ends past its stated total")
            }
        }
        return UploadRange(first: first, last: last)
    }
}

/// A content digest in OCI form, `sha256:<64 lowercase hex>`.
///
/// Only SHA-256 is accepted: it is what every OCI client writes, and refusing the rest
/// keeps content addresses canonical (one blob, one path).
///
/// ```swift
/// let digest = try ContentDigest(parsing: "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")
/// digest.hex.prefix(2)   // "2c", the fan-out folder in the blob store
/// ```
public struct ContentDigest: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The algorithm name; always `sha256`.
    public let algorithm: String
    /// The lowercase hex encoding of the hash.
    public let hex: String

    /// Parses a digest string.
    /// - Parameter text: `sha256:` followed by exactly 64 lowercase hex digits.
    /// - Throws: ``PlatformError`` with ``ErrorCode/blobDigestInvalid``.
    public init(parsing text: String) throws(PlatformError) {
        guard text.hasPrefix("sha256:") else {
            throw PlatformError(.blobDigestInvalid, "unsupported digest \"\(text.prefix(80))\": only sha256:<64 hex> is accepted")
        }
        let hex = String(text.dropFirst("sha256:".count))
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw PlatformError(.blobDigestInvalid, "malformed digest \"\(text.prefix(80))\": expected 64 lowercase hex digits after sha256:")
        }
        self.algorithm = "sha256"
        self.hex = hex
    }

    /// Creates a SHA-256 digest from raw hash bytes.
    /// - Parameter sha256Bytes: The 32 bytes of a SHA-256 hash.
    public init<Bytes: Sequence>(sha256Bytes: Bytes) where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in sha256Bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        self.algorithm = "sha256"
        self.hex = String(decoding: hex, as: UTF8.self)
    }

    /// `sha256:<hex>`.
    public var description: String { "\(algorithm):\(hex)" }

    /// Orders by text form.
    public static func < (lhs: ContentDigest, rhs: ContentDigest) -> Bool { lhs.description < rhs.description }

    /// Decodes from a JSON string.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    /// Encodes as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

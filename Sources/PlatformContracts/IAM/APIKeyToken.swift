/// The text form of an API key: `pfk_` + 16-character lookup id + 43-character secret +
/// 6-character checksum, all base62. The secret carries 256 bits; the checksum (CRC-32 of
/// everything before it) lets scanners and the server reject a mistyped or truncated key
/// without a database lookup. Only `SHA-256(secret)` is ever stored.
///
/// ```swift
/// let token = APIKeyToken.generate()
/// let parsed = try APIKeyToken(parsing: token.text)   // same lookup id and secret
/// ```
public struct APIKeyToken: Sendable, Equatable {
    /// The type prefix scanners key on.
    public static let prefix = "pfk_"
    static let idLength = 16
    static let secretLength = 43
    static let checksumLength = 6
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Public lookup id (stored in clear, shown in listings).
    public let lookupID: String
    /// The secret part (never stored).
    public let secret: String

    /// The whole key as the user sees it once.
    public var text: String {
        let body = Self.prefix + lookupID + secret
        return body + Self.checksum(body)
    }

    /// A fresh key from the system's secure random source.
    public static func generate() -> APIKeyToken {
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int) -> String {
            String(decoding: (0..<count).map { _ in alphabet[Int(generator.next(upperBound: UInt8(62)))] }, as: UTF8.self)
        }
        return APIKeyToken(lookupID: random(idLength), secret: random(secretLength))
    }

    private init(lookupID: String, secret: String) {
        self.lookupID = lookupID
        self.secret = secret
    }

    /// Parses and checks a presented key.
    /// - Throws: ``ErrorCode/iamKeyMalformed`` for a wrong prefix, length, alphabet or checksum.
    public init(parsing text: String) throws(PlatformError) {
        let bytes = Array(text.utf8)
        let total = Self.prefix.utf8.count + Self.idLength + Self.secretLength + Self.checksumLength
        guard text.hasPrefix(Self.prefix), bytes.count == total,
              bytes[Self.prefix.utf8.count...].allSatisfy({ Self.alphabet.contains($0) })
        else {
            throw PlatformError(.iamKeyMalformed, "not a platform API key (expected pfk_ followed by 65 letters and digits)")
        }
        let body = String(decoding: bytes[..<(total - Self.checksumLength)], as: UTF8.self)
        guard Self.checksum(body) == String(decoding: bytes[(total - Self.checksumLength)...], as: UTF8.self) else {
            throw PlatformError(.iamKeyMalformed, "the API key's checksum does not match: it was mistyped or truncated")
        }
        let start = Self.prefix.utf8.count
        self.lookupID = String(decoding: bytes[start..<(start + Self.idLength)], as: UTF8.self)
        self.secret = String(decoding: bytes[(start + Self.idLength)..<(total - Self.checksumLength)], as: UTF8.self)
    }

    /// CRC-32 (IEEE) of the text, as 6 base62 digits.
    static func checksum(_ text: String) -> String {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in text.utf8 {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        var value = crc ^ 0xFFFF_FFFF
        var digits = [UInt8](repeating: alphabet[0], count: checksumLength)
        for index in (0..<checksumLength).reversed() {
            digits[index] = alphabet[Int(value % 62)]
            value /= 62
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

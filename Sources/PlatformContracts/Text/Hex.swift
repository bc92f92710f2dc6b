/// Lowercase hexadecimal of bytes (digests, key ids), without Foundation's `String(format:)`,
/// which formats each byte through CoreFoundation and showed in request profiles.
extension Sequence where Element == UInt8 {
    /// `0x0a, 0xff` → `"0aff"`.
    public var lowercaseHex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

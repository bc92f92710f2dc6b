/// A ULID: 48 bits of milliseconds since the epoch and 80 random bits, written as 26
/// Crockford base-32 characters. Text ULIDs sort by creation time, so they are the
/// primary keys of every table.
///
/// ```swift
/// let id = ULID()            // 01JDX9Y3N4…
/// let parsed = ULID(string: id.description)
/// ```
public struct ULID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The 26-character canonical form.
    public let description: String

    /// Creates a ULID for the given time.
    /// - Parameter milliseconds: Milliseconds since 1970-01-01T00:00:00Z; defaults to now.
    public init(milliseconds: UInt64 = Timestamp.now().millisecondsSinceEpoch) {
        var generator = SystemRandomNumberGenerator()
        self.init(milliseconds: milliseconds, randomHigh: generator.next(), randomLow: generator.next())
    }

    init(milliseconds: UInt64, randomHigh: UInt64, randomLow: UInt64) {
        // 128 bits: 48 time bits, then 80 random bits (16 from randomHigh, 64 from randomLow).
        let high = (milliseconds << 16) | (randomHigh & 0xFFFF)
        let low = randomLow
        var chars = [UInt8](repeating: 0, count: 26)
        // 26 characters × 5 bits = 130 bits; the first character holds the top 3 bits.
        for index in 0..<26 {
            let shift = 125 - index * 5
            let value: UInt64
            if shift >= 64 {
                value = (high >> UInt64(shift - 64)) & 0x1F
            } else if shift > 59 {
                let fromHigh = (high << UInt64(64 - shift)) & 0x1F
                value = fromHigh | (low >> UInt64(shift))
            } else {
                value = (low >> UInt64(shift)) & 0x1F
            }
            chars[index] = Self.alphabet[Int(value & 0x1F)]
        }
        self.description = String(decoding: chars, as: UTF8.self)
    }

    /// Parses a canonical ULID; returns `nil` for anything else.
    /// - Parameter string: 26 Crockford base-32 characters (uppercase).
    public init?(string: String) {
        let utf8 = Array(string.utf8)
        guard utf8.count == 26, utf8.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        // The first character carries only 3 bits, so it cannot exceed "7".
        guard utf8[0] <= UInt8(ascii: "7") else { return nil }
        self.description = string
    }

    /// Parses a ULID in either case and returns it in canonical (uppercase) form.
    ///
    /// Crockford base-32 is case-insensitive, so every ULID-keyed lookup must treat
    /// `01hx…` and `01HX…` as one id: the edge canonicalises once with this, and stores and
    /// services then compare exact strings. Only ASCII is considered, so no Unicode case
    /// mapping (`ß` → `SS`) can turn a non-id into an id.
    public static func canonical(_ text: some StringProtocol) -> ULID? {
        guard text.utf8.count == 26, text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        return ULID(string: text.uppercased())
    }

    /// The creation time in milliseconds since the epoch.
    public var milliseconds: UInt64 {
        var value: UInt64 = 0
        for byte in description.utf8.prefix(10) {
            value = value << 5 | UInt64(Self.alphabet.firstIndex(of: byte)!)
        }
        return value
    }

    /// Orders by creation time, then randomness (the canonical text order).
    public static func < (lhs: ULID, rhs: ULID) -> Bool {
        lhs.description < rhs.description
    }

    /// Decodes from a JSON string.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = ULID(string: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a ULID: \(text)"))
        }
        self = value
    }

    /// Encodes as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

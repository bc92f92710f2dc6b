import Foundation
import PlatformContracts
import Testing

@Suite("Identifiers and time")
struct IdentifierTests {
    @Test("a ULID is 26 Crockford characters and encodes its time")
    func ulidShape() throws {
        let id = ULID(milliseconds: 1_796_000_000_123)
        #expect(id.description.count == 26)
        #expect(id.milliseconds == 1_796_000_000_123)
        #expect(ULID(string: id.description) == id)
        let text = id.description
        #expect(text.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
    }

    @Test("ULIDs order by time")
    func ulidOrder() {
        let ids = (0..<50).map { ULID(milliseconds: UInt64(1_000_000 + $0 * 1_000)) }
        #expect(ids.sorted() == ids)
        #expect(ids.map(\.description).sorted() == ids.map(\.description))
    }

    @Test("known ULID time prefix", arguments: [(UInt64(0), "0000000000"), (UInt64(1_469_918_176_385), "01ARYZ6S41")])
    func ulidKnownPrefix(milliseconds: UInt64, prefix: String) {
        #expect(ULID(milliseconds: milliseconds).description.hasPrefix(prefix))
    }

    @Test("malformed ULIDs are refused", arguments: ["", "01ARYZ6S41", "81ARYZ6S41TSV4RRFFQ69G5FAV", "01ARYZ6S41TSV4RRFFQ69G5FAU", "01aryz6s41tsv4rrffq69g5fav"])
    func ulidMalformed(text: String) {
        #expect(ULID(string: text) == nil)
    }

    @Test("RFC 3339 timestamps are fixed-width UTC with milliseconds and round-trip")
    func timestampRoundTrip() {
        let stamp = Timestamp(millisecondsSinceEpoch: 1_796_000_000_007)
        #expect(stamp.rfc3339 == "2026-11-30T00:53:20.007Z")
        #expect(Timestamp(rfc3339: stamp.rfc3339) == stamp)
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00Z")?.millisecondsSinceEpoch == 0)
        #expect(Timestamp(rfc3339: "2024-02-29T23:59:59.5Z")?.rfc3339 == "2024-02-29T23:59:59.500Z")
        #expect(Timestamp(rfc3339: "2024-02-29T23:59:59.123456789Z")?.rfc3339 == "2024-02-29T23:59:59.123Z")
    }

    @Test("timestamps agree with Foundation's calendar")
    func timestampMatchesFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for seconds in stride(from: 0, to: 4_102_444_800, by: 86_400 * 97 + 3_601) {
            let stamp = Timestamp(millisecondsSinceEpoch: UInt64(seconds) * 1000)
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(stamp.rfc3339 == expected.replacingOccurrences(of: "Z", with: ".000Z"))
        }
    }

    @Test("text that is not RFC 3339 UTC is refused", arguments: ["", "2026-11-29", "2026-11-29T09:17:11+01:00", "2026-13-01T00:00:00Z", "2026-11-29 09:17:11Z", "2026-11-29T09:17:11.Z"])
    func timestampMalformed(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("digests accept sha256 with 64 lowercase hex only")
    func digests() throws {
        let hex = String(repeating: "ab", count: 32)
        let digest = try ContentDigest(parsing: "sha256:\(hex)")
        #expect(digest.hex == hex)
        #expect(digest.description == "sha256:\(hex)")
        for bad in ["sha512:\(hex)", "sha256:\(hex.uppercased())", "sha256:\(hex.dropLast())", "sha256:../../etc/passwd", hex] {
            #expect(throws: PlatformError(.blobDigestInvalid)) { try ContentDigest(parsing: bad) }
        }
        #expect(ContentDigest(sha256Bytes: [0x00, 0xff]).hex == "00ff")
    }
}

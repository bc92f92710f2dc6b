import OCIKit
import PlatformContracts
import Testing

/// The pure parsers of client-supplied numbers in OCIKit (finding 1 of issue 15): total
/// functions that refuse with a 4xx code instead of trapping.
@Suite("Range, Content-Range and number parsers")
struct ByteRangeTests {
    func code(_ body: () throws -> Void) -> ErrorCode? {
        do { try body(); return nil } catch { return (error as? PlatformError)?.code }
    }

    @Test func rangeWithMinimumSuffixDoesNotTrapTheServer() {
        #expect(code { _ = try ByteRange.parse("bytes=--9223372036854775808", size: 100) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=-9223372036854775808", size: 100) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=-+5", size: 100) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=+1-5", size: 100) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=99999999999999999999-", size: 100) } == .blobRangeInvalid)
    }

    @Test func rangeAtTheEdgesOfInt64IsClampedOrRefused() throws {
        #expect(try ByteRange.parse("bytes=-9223372036854775807", size: 100) == ByteRange.parse("bytes=0-99", size: 100))
        #expect(try ByteRange.parse("bytes=0-9223372036854775807", size: 100).length == 100)
        #expect(code { _ = try ByteRange.parse("bytes=9223372036854775807-", size: 100) } == .blobRangeInvalid)
        let whole = try ByteRange.parse("bytes=0-", size: Int64.max)
        #expect(whole.length == Int64.max)
        #expect(try ByteRange.parse("bytes=-1", size: Int64.max).first == Int64.max - 1)
    }

    @Test func rangeFollowsRFC9110() throws {
        let suffix = try ByteRange.parse("bytes=-100", size: 1000)
        #expect(suffix.first == 900 && suffix.last == 999 && suffix.length == 100)
        #expect(suffix.contentRange(size: 1000) == "bytes 900-999/1000")
        #expect(try ByteRange.parse("bytes=10-", size: 1000).last == 999)
        #expect(try ByteRange.parse("BYTES=10-19", size: 1000).length == 10)
        #expect(try ByteRange.parse("bytes=10-5000", size: 1000).last == 999)
        #expect(code { _ = try ByteRange.parse("bytes=-0", size: 1000) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=5-4", size: 1000) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=1000-", size: 1000) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=0-1,5-6", size: 1000) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("items=0-1", size: 1000) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=", size: 1000) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=0-0", size: 0) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=-5", size: 0) } == .blobRangeInvalid)
        #expect(code { _ = try ByteRange.parse("bytes=0-0", size: -1) } == .blobRangeInvalid)
    }

    @Test func uploadContentRangeRefusesSignsOverflowAndInversions() throws {
        #expect(try UploadRange.parse("0-1023") == UploadRange.parse("bytes 0-1023/*"))
        #expect(try UploadRange.parse("bytes 1024-2047/4096").length == 1024)
        for bad in ["-1-5", "+1-5", "5-4", "9223372036854775807-9223372036854775807", "0-9223372036854775808",
                    "bytes 0-9/5", "bytes 0-9", "", "-", "1024", "a-b", "bytes 0-1/-3"] {
            #expect(code { _ = try UploadRange.parse(bad) } == .artifactRangeInvalid, "\(bad)")
        }
    }

    @Test func decimalFieldsAreUnsignedDigitsThatFit() {
        #expect(DecimalField.int64("0") == 0)
        #expect(DecimalField.int64("9223372036854775807") == Int64.max)
        for bad in ["", "-1", "+1", "9223372036854775808", "99999999999999999999", " 1", "1 ", "0x10", "１"] {
            #expect(DecimalField.int64(bad) == nil, "\(bad)")
        }
        #expect(DecimalField.int64("1000", in: 1...1000) == 1000)
        #expect(DecimalField.int64("1001", in: 1...1000) == nil)
        #expect(DecimalField.int64("0", in: 1...1000) == nil)
    }

    @Test func registryScopesParseNamesWithColonsAndRefuseJunk() throws {
        let scopes = try RegistryScope.parseAll(["repository:p1/app:pull,push registry:catalog:*", "repository:host:5000/x:pull"])
        #expect(scopes.map(\.description) == ["repository:p1/app:pull,push", "registry:catalog:*", "repository:host:5000/x:pull"])
        for bad in ["repository", "repository:x", "repository::pull", ":x:pull", "repository:x:", "repository:x:,"] {
            #expect(code { _ = try RegistryScope.parse(bad) } == .httpParameterInvalid, "\(bad)")
        }
        #expect(code { _ = try RegistryScope.parseAll([Array(repeating: "repository:a/b:pull", count: 17).joined(separator: " ")]) }
                == .httpParameterInvalid)
    }
}

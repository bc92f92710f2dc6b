import Foundation
import PlatformContracts
import Testing

@Suite("Lowercase hex")
struct HexTests {
    @Test("bytes become two lowercase digits each, as String(format: \"%02x\") gave")
    func matchesFormat() {
        #expect([UInt8]().lowercaseHex == "")
        #expect([0x00, 0x0a, 0xff, 0x10].lowercaseHex == "000aff10")
        let bytes = (0..<256).map { UInt8($0) }
        #expect(bytes.lowercaseHex == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(Array("abc".utf8).lowercaseHex == "616263")
    }
}

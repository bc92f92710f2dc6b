import Foundation
import PlatformContracts
import Testing

/// JSON request bodies: one size and depth pre-scan, with the place, before decoding.
@Suite("Document limits (JSON)")
struct DocumentLimitsJSONTests {
    @Test("Foundation's JSONDecoder already stops at 512 levels, but says only that the data is not valid JSON")
    func foundationJSONDecoderHasADepthLimit() {
        struct Anything: Decodable { init(from decoder: any Decoder) throws {} }
        let within = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { _ = try JSONDecoder().decode([Anything].self, from: Data(within.utf8)) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode([Anything].self, from: Data(deep.utf8)) }
    }

    @Test("a body nested deeper than 64 levels is refused at the bracket that crosses, with manifests.too_complex")
    func deepJSONIsRefusedWithItsPlace() {
        let deep = "{\n  \"a\": " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}"
        #expect(throws: DocumentTooComplex(.depth, line: 2, column: 71, limits: .standard)) {
            try DocumentLimits.standard.check(json: Array(deep.utf8))
        }
        do {
            try DocumentLimits.standard.check(json: Array(deep.utf8))
        } catch {
            #expect(error.code == .manifestsTooComplex)
            #expect(error.platformError(file: "body").message == "body:2:71: the document nests deeper than 64 levels")
        }
    }

    @Test("brackets inside strings, escaped quotes included, do not count")
    func bracketsInStringsAreText() throws {
        let text = "{\"a\": \"" + String(repeating: "[{", count: 500) + "\\\"[[[\", \"b\": [[1]]}"
        try DocumentLimits.standard.check(json: Array(text.utf8))
    }

    @Test("a body over 1 MiB is refused")
    func hugeJSONIsRefused() {
        let huge = "[\"" + String(repeating: "x", count: 1 << 20) + "\"]"
        #expect(throws: DocumentTooComplex(.size, line: 1, column: (1 << 20) + 1, limits: .standard)) {
            try DocumentLimits.standard.check(json: Array(huge.utf8))
        }
    }
}

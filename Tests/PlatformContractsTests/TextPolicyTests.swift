import Foundation
import PlatformContracts
import Testing

/// ``TextPolicy``: what identifiers refuse, what free text keeps, and the escaped forms the
/// audit log records when it must keep a value whatever it holds.
@Suite("Text policy for identifiers, free text and hashing")
struct TextPolicyTests {
    /// The characters the issue names, and their kin.
    static let hostile: [(String, String)] = [
        ("NUL", "x\u{0}y"), ("ESC", "x\u{1B}[31my"), ("DEL", "x\u{7F}y"), ("NEL U+0085", "x\u{85}y"), ("C1 U+009B", "x\u{9B}y"),
        ("LINE SEPARATOR U+2028", "x\u{2028}y"), ("PARAGRAPH SEPARATOR U+2029", "x\u{2029}y"), ("BOM U+FEFF", "\u{FEFF}xy"),
        ("RLO U+202E", "x\u{202E}y"), ("ZWSP U+200B", "x\u{200B}y"), ("LRI U+2066", "x\u{2066}y"), ("TAB", "x\ty"),
        ("LF", "x\ny"), ("private use U+E000", "x\u{E000}y"), ("noncharacter U+FFFE", "x\u{FFFE}y"),
        ("replacement U+FFFD (undecodable input)", "x\u{FFFD}y"),
    ]

    @Test("identifiers refuse control, separator, format, private-use characters with validation.invalid_text")
    func identifiersRefuseHostileCharacters() {
        for (name, value) in Self.hostile {
            #expect(throws: PlatformError(.validationInvalidText), "\(name)") { try TextPolicy.requireIdentifier(value, field: "app") }
        }
        do {
            try TextPolicy.requireIdentifier("x\u{1B}y", field: "app")
            Issue.record("ESC accepted")
        } catch {
            // The message names the code point and never echoes the raw character.
            #expect(error.message.contains("U+001B") && !error.message.contains("\u{1B}"))
            #expect(error.details["field"] == "app")
        }
    }

    @Test("ordinary identifiers and names pass, non-ASCII letters and emoji included")
    func ordinaryIdentifiersPass() throws {
        for value in ["hello", "acme-prod", "01J0000000000000000000000", "apps:instance:launch", "café", "名前", "🚀", "a b", "e\u{301}"] {
            try TextPolicy.requireIdentifier(value, field: "name")
        }
    }

    @Test("free text keeps everything but NUL")
    func freeTextRefusesOnlyNUL() throws {
        for (_, value) in Self.hostile where !value.contains("\u{0}") {
            try TextPolicy.requireFreeText(value, field: "message")
            #expect(TextPolicy.escapedFreeText(value) == value)
        }
        #expect(throws: PlatformError(.validationInvalidText)) { try TextPolicy.requireFreeText("x\u{0}y", field: "message") }
    }

    @Test("the escaped forms are visible, storable and stable (escaping twice changes nothing)")
    func escapedForms() throws {
        #expect(TextPolicy.escapedIdentifier("x\u{0}y") == "x\\u{0}y")
        #expect(TextPolicy.escapedIdentifier("\u{FEFF}a\u{2028}b\u{85}") == "\\u{FEFF}a\\u{2028}b\\u{85}")
        #expect(TextPolicy.escapedFreeText("a\u{0}\u{1B}b") == "a\\u{0}\u{1B}b")
        for (_, value) in Self.hostile {
            let once = TextPolicy.escapedIdentifier(value)
            try TextPolicy.requireIdentifier(once, field: "escaped")
            #expect(TextPolicy.escapedIdentifier(once) == once)
        }
        #expect(TextPolicy.escapedIdentifier("plain") == "plain")
    }

    @Test("JSON lone surrogates never become a String: Foundation's JSONDecoder refuses them")
    func loneSurrogatesAreRefusedByTheDecoder() {
        struct Body: Decodable { var app: String }
        for raw in [#"{"app":"x\ud800y"}"#, #"{"app":"x\udc00y"}"#, #"{"app":"x\ud800\u0041"}"#] {
            #expect(throws: DecodingError.self, "\(raw)") { try JSONDecoder().decode(Body.self, from: Data(raw.utf8)) }
        }
        // A proper pair decodes to one scalar, which identifiers accept.
        let pair = try? JSONDecoder().decode(Body.self, from: Data(#"{"app":"\ud83d\ude80"}"#.utf8))
        #expect(pair?.app == "🚀")
        // Invalid UTF-8 (an encoded surrogate) is not JSON either.
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Body.self, from: Data([0x7B, 0x22, 0x61, 0x70, 0x70, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D])) }
    }
}

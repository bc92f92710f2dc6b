import Foundation
import ManifestKit
import PlatformContracts
import RegistryService
import Testing

/// YAML "billion laughs" and its relatives: refused before anything expands them, with the place.
@Suite("Document limits (YAML)")
struct DocumentLimitsTests {
    /// `levels` anchors, each a list of `fanOut` aliases of the previous one: fanOut^levels scalars
    /// once expanded, from a few hundred bytes.
    static func aliasBomb(levels: Int, fanOut: Int = 9, key: String = "a") -> String {
        var lines = ["\(key)0: &\(key)0 [" + Array(repeating: "lol", count: fanOut).joined(separator: ", ") + "]"]
        for level in 1..<levels {
            lines.append("\(key)\(level): &\(key)\(level) [" + Array(repeating: "*\(key)\(level - 1)", count: fanOut).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The text at a diagnostic's line and column.
    static func text(_ document: String, line: Int, column: Int) -> Substring {
        let row = document.split(separator: "\n", omittingEmptySubsequences: false)[line - 1]
        return row.dropFirst(column - 1)
    }

    @Test("alias bombs of 9^7 and 9^10 nodes are refused with manifests.too_complex at the alias that crosses the limit",
          arguments: [7, 10])
    func aliasBombIsRefusedAtTheAliasThatCrossesTheLimit(levels: Int) {
        let bomb = Self.aliasBomb(levels: levels)
        #expect(bomb.utf8.count < 600)
        let report = validator.validate(text: bomb, file: "bomb.yaml")
        #expect(!report.valid)
        #expect(report.diagnostics.count == 1)
        guard let diagnostic = report.diagnostics.first else { return }
        #expect(diagnostic.code == "manifests.too_complex")
        #expect(diagnostic.message.contains("100000 nodes"))
        // a0…a4 expand to 66,430 nodes; a5's aliases of a4 (7,381 each) cross 100,000 on line 6.
        #expect(diagnostic.line == 6)
        #expect(Self.text(bomb, line: diagnostic.line, column: diagnostic.column).hasPrefix("*a4"))
    }

    @Test("counting is linear: a 9^19 bomb is measured, not expanded, when the node limit is lifted")
    func measuringNeverExpandsAliases() throws {
        let unlimited = DocumentLimits(maxBytes: .max, maxNodes: .max, maxDepth: .max, maxAliases: .max)
        try unlimited.check(yaml: Self.aliasBomb(levels: 19))  // 1.35e18 nodes, under Int.max
        #expect(throws: DocumentTooComplex.self) { try DocumentLimits.standard.check(yaml: Self.aliasBomb(levels: 20)) }
    }

    @Test("aliases used as mapping keys (which Yams hashes while composing) are refused before composing")
    func aliasBombAsMappingKeysIsRefused() {
        let bomb = Self.aliasBomb(levels: 10) + "keys:\n  ? *a9\n  : 1\n"
        let report = validator.validate(text: bomb, file: "keys.yaml")
        #expect(report.diagnostics.map(\.code) == ["manifests.too_complex"])
    }

    @Test("nesting deeper than 64 levels is refused where it crosses, in flow and block style")
    func deepNestingIsRefused() throws {
        let flow = "apiVersion: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n"
        let flowReport = validator.validate(text: flow, file: "deep.yaml")
        #expect(flowReport.diagnostics.map(\.code) == ["manifests.too_complex"])
        // The root mapping is level 1, so the 64th `[` (column 13 + 63) is level 65.
        #expect(flowReport.diagnostics.first.map { "\($0.line):\($0.column)" } == "1:76")
        #expect(flowReport.diagnostics.first?.message.contains("deeper than 64") == true)

        let block = (0..<100).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"
        let blockReport = validator.validate(text: block, file: "deep.yaml")
        #expect(blockReport.diagnostics.map(\.code) == ["manifests.too_complex"])
        #expect(blockReport.diagnostics.first?.line == 64)
    }

    @Test("a document over 1 MiB is refused before it is parsed, at the byte that crosses the limit")
    func hugeDocumentIsRefused() {
        let line = "# " + String(repeating: "x", count: 1021) + "\n"   // 1 KiB a line
        let huge = String(repeating: line, count: 1100)
        let report = validator.validate(text: huge, file: "huge.yaml")
        #expect(report.diagnostics.map(\.code) == ["manifests.too_complex"])
        #expect(report.diagnostics.first.map { "\($0.line):\($0.column)" } == "1025:1")
        #expect(report.diagnostics.first?.message.contains("larger than 1048576 bytes") == true)
    }

    @Test("more than 1,000 alias uses are refused even when each is small")
    func tooManyAliasesAreRefused() {
        let many = "x: &x 1\nlist:\n" + String(repeating: "  - *x\n", count: 1_001)
        #expect(throws: DocumentTooComplex(.aliases, line: 1_003, column: 5, limits: .standard)) {
            try DocumentLimits.standard.check(yaml: many)
        }
    }

    @Test("real manifests and registries, and a modest use of anchors, are within the limits")
    func realDocumentsAreWithinLimits() throws {
        let folders = ["manifests/apps", "manifests/platform", "manifests/portal/onboarding"]
        var checked = 0
        for folder in folders {
            let directory = checkout.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".yaml") {
                try DocumentLimits.standard.check(yaml: String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
                checked += 1
            }
        }
        #expect(checked >= 15)
        try DocumentLimits.standard.check(yaml: "base: &base {cpu: 1, memory: 2Gi}\nsmall: *base\nlarge: *base\n")
        let hello = try String(contentsOf: checkout.appendingPathComponent("manifests/apps/hello.yaml"), encoding: .utf8)
        #expect(validator.validate(text: hello, file: "hello.yaml").valid)
    }

    @Test("syntax errors are left to the parser, which reports them as manifest.yaml_invalid")
    func syntaxErrorsStillReportAsYAML() {
        let report = validator.validate(text: "a: [1, 2\nb: *missing\n", file: "bad.yaml")
        #expect(report.diagnostics.map(\.code) == ["manifest.yaml_invalid"])
    }

    @Test("YAMLHead, which the server decodes registered manifests with, refuses a bomb")
    func yamlHeadRefusesABomb() {
        struct Head: Decodable { var a9: [[String]]? }
        #expect(throws: PlatformError(.manifestsTooComplex)) {
            _ = try YAMLHead.decode(Head.self, from: Self.aliasBomb(levels: 10))
        }
    }

    @Test("the registry loader refuses a bomb with manifests.too_complex and the file")
    func registryLoaderRefusesABomb() throws {
        let files = RegistryFiles(directory: checkout.appendingPathComponent("manifests/platform"))
        do {
            _ = try files.scopes(text: "registry: scope\nversion: 1\n" + Self.aliasBomb(levels: 9))
            Issue.record("the bomb was read")
        } catch {
            #expect(error.code == .manifestsTooComplex)
            #expect(error.message.contains("scopes.yaml:8:"))
        }
    }
}

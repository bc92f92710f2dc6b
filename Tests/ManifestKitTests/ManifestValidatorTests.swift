import Foundation
import ManifestKit
import PlatformContracts
import RegistryService
import Testing

/// The validator built from the checkout's own schema and registries.
let validator: ManifestValidator = {
    try! RegistryFiles.at(checkout.appendingPathComponent("manifests/platform"), setting: "the checkout").manifestValidator()
}()

let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/invalid")

@Suite("App manifest validation")
struct ManifestValidatorTests {
    static let apps = ["hello", "jupyter-lab", "vscode-server", "vllm-inference", "finetune-job", "tensorboard"]

    @Test("every supported app manifest is valid, without warnings", arguments: apps)
    func supportedApps(name: String) throws {
        let file = checkout.appendingPathComponent("manifests/apps/\(name).yaml")
        let report = validator.validate(text: try String(contentsOf: file, encoding: .utf8), file: "\(name).yaml")
        #expect(report.valid)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.text).joined(separator: "\n"))")
    }

    static var corpusFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test("the invalid corpus has at least 30 manifests")
    func corpusSize() {
        #expect(Self.corpusFiles.count >= 30)
    }

    /// Each invalid manifest produces exactly its golden diagnostics.
    /// `UPDATE_GOLDEN=1 swift test --filter ManifestValidatorTests` rewrites them; review the diff.
    @Test("every invalid manifest produces exactly its golden diagnostics", arguments: corpusFiles)
    func invalidCorpus(file: String) throws {
        let text = try String(contentsOf: corpus.appendingPathComponent(file), encoding: .utf8)
        let report = validator.validate(text: text, file: file)
        #expect(!report.valid, "\(file) should be invalid")
        let rendered = report.diagnostics.map(\.text).joined(separator: "\n") + "\n"
        let golden = corpus.appendingPathComponent(String(file.dropLast(5)) + ".expected")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(rendered == (try String(contentsOf: golden, encoding: .utf8)), "\(file)")
    }

    @Test("a typo'd key gets a did-you-mean with its line and column")
    func didYouMean() throws {
        let text = try String(contentsOf: corpus.appendingPathComponent("01-typo-resources-key.yaml"), encoding: .utf8)
        let diagnostics = validator.validate(text: text, file: "app.yaml").diagnostics
        let typo = try #require(diagnostics.first { $0.code == "manifest.unknown_key" })
        #expect(typo.message == "unknown key `resouces` (did you mean `resources`?)")
        #expect(typo.pointer == "/resouces")
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("resouces:") }! + 1
        #expect(typo.line == line && typo.column == 1)
        #expect(diagnostics.contains { $0.code == "manifest.required_missing" && $0.message.contains("`resources`") })
    }

    @Test("all problems are collected, not just the first")
    func collectsAll() throws {
        let text = try String(contentsOf: corpus.appendingPathComponent("38-several-problems-at-once.yaml"), encoding: .utf8)
        let codes = Set(validator.validate(text: text, file: "x.yaml").diagnostics.map(\.code))
        #expect(codes.isSuperset(of: ["manifest.unknown_key", "manifest.out_of_range", "manifest.ttl_exceeds_policy"]))
    }

    @Test("the schema loader refuses keywords it would not enforce")
    func schemaKeywords() {
        #expect(throws: SchemaError.self) { try JSONSchema(data: Data(#"{"type":"object","oneOf":[]}"#.utf8)) }
    }
}

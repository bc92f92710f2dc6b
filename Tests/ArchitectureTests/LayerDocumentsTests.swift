import Foundation
import Testing

@Suite("Layer numbers agree: Package.swift, README, docs/ARCHITECTURE.md and the boundary rule")
struct LayerDocumentsTests {
    static let documents = Result { try LayerDocuments.load() }

    @Test("every numbered target has the rule's layer in Package.swift, the README and docs/ARCHITECTURE.md")
    func documentsAgreeWithTheRule() throws {
        let problems = try Self.documents.get().mismatches(with: try BoundaryRuleTests.graph.get())
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("a target declared under another layer's mark in Package.swift is caught")
    func movedPackageMarkIsCaught() throws {
        var documents = try Self.documents.get()
        documents.package = documents.package.replacingOccurrences(of: "// MARK: Layer 4", with: "// MARK: Layer 5")
        let problems = documents.mismatches(with: try BoundaryRuleTests.graph.get())
        #expect(problems.contains { $0.hasPrefix("Package.swift declares AppPlatform under // MARK: Layer 5") }, "\(problems)")
    }

    @Test("a README layer that disagrees, or a folder listed twice, is caught")
    func staleReadmeIsCaught() throws {
        var documents = try Self.documents.get()
        let line = try #require(documents.readme.split(separator: "\n").first { $0.contains("PlatformHTTP/") && $0.contains("layer 5") })
        documents.readme = documents.readme.replacingOccurrences(of: line, with: line.replacingOccurrences(of: "layer 5", with: "layer 3"))
            + "\n  RuntimeKit/  layer 2: again\n"
        let problems = documents.mismatches(with: try BoundaryRuleTests.graph.get())
        #expect(problems.contains("README.md puts PlatformHTTP/ at layer 3, the rule says PlatformHTTP is layer 5"), "\(problems)")
        #expect(problems.contains("README.md lists RuntimeKit on more than one line"), "\(problems)")
    }

    @Test("a target missing from, misplaced in or unknown to the docs/ARCHITECTURE.md table is caught")
    func staleArchitectureTableIsCaught() throws {
        var documents = try Self.documents.get()
        documents.architecture = documents.architecture
            .replacingOccurrences(of: "`AppPlatform`", with: "`Renamed`")
            .replacingOccurrences(of: "`PlatformStore`", with: "`PlatformStore`, `PlatformContracts`")
        let problems = documents.mismatches(with: try BoundaryRuleTests.graph.get())
        #expect(problems.contains("docs/ARCHITECTURE.md's layer table does not list AppPlatform"), "\(problems)")
        #expect(problems.contains("docs/ARCHITECTURE.md's layer table lists Renamed, which is not a target"), "\(problems)")
        #expect(problems.contains("docs/ARCHITECTURE.md lists PlatformContracts in more than one layer"), "\(problems)")
    }
}

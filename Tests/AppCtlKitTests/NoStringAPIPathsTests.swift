import Foundation
import Testing

/// appctl calls the `/v1` API only through PlatformClient's typed endpoints (PlatformAPI's
/// `Endpoints`), so a renamed path or a changed type breaks the build instead of the CLI. A
/// `"/v1…"` string literal in AppCtlKit is a call that bypasses the table.
@Suite("appctl builds no /v1 path by hand")
struct NoStringAPIPathsTests {
    /// Files that mention `/v1` paths as data, not as calls: `appctl contract check` compares
    /// the OpenAPI document's paths (keys of the document) with the endpoint table.
    static let readsTheDocument: Set<String> = ["Commands/Contract/ContractCheck.swift"]

    @Test func appCtlKitSourcesHoldNoV1PathLiteral() throws {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            let parent = root.deletingLastPathComponent()
            try #require(parent.path != root.path, "no Package.swift above \(#filePath)")
            root = parent
        }
        let sources = root.appendingPathComponent("Sources/AppCtlKit")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 40, "found only \(files.count) AppCtlKit sources under \(sources.path)")
        var found: [String] = []
        for file in files.sorted() where !Self.readsTheDocument.contains(file) {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains("\"/v1") {
                found.append("Sources/AppCtlKit/\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(found.isEmpty, "call the API through PlatformClient and Endpoints, not a string path:\n\(found.joined(separator: "\n"))")
    }
}

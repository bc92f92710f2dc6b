import AppCtlKit
import Foundation
import PlatformTestKit
import PortalPreview
import Testing

/// The cmark-gfm preview of the committed portal: one HTML page per MDX page, the MDX-only
/// syntax (front matter, admonitions, code titles) turned into HTML, every link between
/// pages resolving to a rendered page, and the matrix with one row per supported app.
@Suite("Portal preview (cmark-gfm)")
struct PortalPreviewTests {
    static let root = PortalGeneratorTests.root

    @Test("every committed page renders; no MDX syntax is left; every relative link resolves; the matrix has a row per app")
    func rendersCommittedPortal() throws {
        let files = try PortalPreview.render(portal: Self.root.appendingPathComponent("portal"))
        let sources = try FileManager.default.subpathsOfDirectory(atPath: Self.root.appendingPathComponent("portal/docs").path)
            .filter { $0.hasSuffix(".mdx") }
        #expect(Set(files.map(\.path)) == Set(sources.map { String($0.dropLast(4)) + ".html" }))
        let paths = Set(files.map(\.path))
        for file in files {
            #expect(file.html.contains("<main data-page=\"\(file.path.dropLast(5))\">"), "\(file.path)")
            let prose = file.html.replacing(/<pre[\s\S]*?<\/pre>/, with: "")
            #expect(!prose.contains(":::") && !prose.contains("title=\"") && !prose.contains("sidebar_position"), "MDX syntax left in \(file.path)")
            #expect(!prose.contains("&amp;#"), "a character reference escaped twice in \(file.path)")
            let folder = (file.path as NSString).deletingLastPathComponent
            for match in file.html.matches(of: /href="([^"#:]+)(?:#[^"]*)?"/) {
                var parts: [Substring] = folder.isEmpty ? [] : folder.split(separator: "/")
                for part in match.1.split(separator: "/") {
                    if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(part) }
                }
                let resolved = parts.joined(separator: "/")
                #expect(paths.contains(resolved), "\(file.path) links to \(match.1), which is not rendered")
            }
        }
        let gate = try #require(files.first { $0.path == "onboarding/api-contract.html" })
        #expect(gate.html.contains("<div class=\"admonition admonition-note\">") && gate.html.contains("<p class=\"code-title\">Run</p>"))
        #expect(gate.html.contains("<pre lang=\"bash\"><code>appctl context add portal"))
        let matrix = try #require(files.first { $0.path == "matrix.html" })
        let table = try #require(matrix.html.firstMatch(of: /<table>[\s\S]*?<\/table>/)).0
        let apps = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("manifests/apps").path).filter { $0.hasSuffix(".yaml") }
        #expect(table.contains("<th>App</th>"))
        #expect(table.matches(of: /<tr>/).count == apps.count + 1, "a header row and one row per app")
    }

    @Test("appctl portal preview writes the pages; a folder without pages is a clear error")
    func previewCommand() async throws {
        try await withTemporaryDirectory { directory async throws in
            let out = directory.appending("site")
            let (code, output) = await PortalGeneratorTests.appctl(["portal", "preview", Self.root.appendingPathComponent("portal").path, "--out", out.path])
            #expect(code == 0 && output.contains("open file://"), "\(output)")
            let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
            #expect(index.contains("<h1>Developer portal</h1>") && index.contains("href=\"onboarding/overview.html\""))
            let (empty, emptyOutput) = await PortalGeneratorTests.appctl(["portal", "preview", directory.appending("nothing").path, "--out", out.path])
            #expect(empty != 0 && emptyOutput.contains("no portal pages under"), "\(emptyOutput)")
        }
    }
}

import Foundation
import PlatformContracts

/// One rendered preview file, relative to the preview root (`index.html`, `reference/api.html`).
public struct PreviewFile: Sendable, Hashable {
    /// Its path.
    public var path: String
    /// Its HTML.
    public var html: String
}

/// The portal's pages rendered to static HTML with cmark-gfm: the same `docs/**/*.mdx` a
/// Docusaurus build reads, with a sidebar from `sidebars.js`, for `platformd`'s `/portal/`
/// and `appctl portal preview` (no Node toolchain needed to read the portal).
public enum PortalPreview {
    /// Renders every page of the portal at `root` (the folder holding `docs/` and `sidebars.js`).
    /// - Throws: ``ErrorCode/configInvalid`` when `root/docs` has no pages.
    public static func render(portal root: URL) throws(PlatformError) -> [PreviewFile] {
        let docs = root.appendingPathComponent("docs")
        let paths = ((try? FileManager.default.subpathsOfDirectory(atPath: docs.path)) ?? []).filter { $0.hasSuffix(".mdx") }.sorted()
        guard !paths.isEmpty else { throw PlatformError(.configInvalid, "no portal pages under \(docs.path)") }
        var pages: [MDXPage] = []
        for path in paths {
            guard let source = try? String(contentsOf: docs.appendingPathComponent(path), encoding: .utf8) else {
                throw PlatformError(.configInvalid, "cannot read \(docs.appendingPathComponent(path).path)")
            }
            pages.append(MDXPage(id: String(path.dropLast(".mdx".count)), source: source))
        }
        let titles = Dictionary(pages.map { ($0.id, $0.label) }, uniquingKeysWith: { first, _ in first })
        let sidebar = (try? String(contentsOf: root.appendingPathComponent("sidebars.js"), encoding: .utf8)).flatMap(Sidebar.init) ?? Sidebar(items: pages.map { .doc($0.id) })
        return pages.map { page in
            PreviewFile(path: page.id + ".html", html: PreviewTemplate.page(
                title: page.title, id: page.id, body: Links.rewrite(Markdown.html(page.markdown)),
                navigation: sidebar.html(current: page.id, titles: titles)))
        }
    }

    /// Renders one page's MDX `source` as it would appear under `id`, with a sidebar of that page
    /// alone: the whole path a page's text takes (front matter, MDX subset, cmark-gfm, links).
    public static func render(page id: String, source: String) -> PreviewFile {
        let page = MDXPage(id: id, source: source)
        return PreviewFile(path: page.id + ".html", html: PreviewTemplate.page(
            title: page.title, id: page.id, body: Links.rewrite(Markdown.html(page.markdown)),
            navigation: Sidebar(items: [.doc(page.id)]).html(current: page.id, titles: [page.id: page.label])))
    }

    /// Writes the preview under `destination`.
    /// - Throws: ``ErrorCode/configInvalid`` when a file cannot be written.
    public static func write(_ files: [PreviewFile], to destination: URL) throws(PlatformError) {
        for file in files {
            let url = destination.appendingPathComponent(file.path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.html.utf8).write(to: url)
            } catch {
                throw PlatformError(.configInvalid, "cannot write \(url.path): \(error)")
            }
        }
    }
}

/// Links between pages: `reference/api` and `../matrix` (Docusaurus ids) point at the
/// `.html` files; absolute, external and anchor links stay.
enum Links {
    static func rewrite(_ html: String) -> String {
        html.replacing(/href="([^"#:?]+)((?:#[^"]*)?)"/) { match in
            let target = String(match.1)
            guard !target.hasPrefix("/"), !target.hasSuffix(".html"), !target.contains(".") || target.hasPrefix(".") else {
                return String(match.0)
            }
            return "href=\"\(target).html\(match.2)\""
        }
    }
}

import CCmarkGFM

#if canImport(Glibc)
import Glibc
#endif

/// GitHub Flavored Markdown to HTML with cmark-gfm (tables, autolinks, strikethrough, tag filter).
enum Markdown {
    static let extensions = ["table", "autolink", "strikethrough", "tagfilter"]

    /// The HTML of `markdown`. Raw HTML passes (the preview's own admonition and code-title
    /// wrappers); the pages themselves carry none, by the strict MDX subset.
    static func html(_ markdown: String) -> String {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CCMARKGFM_OPT_UNSAFE | CCMARKGFM_OPT_GITHUB_PRE_LANG
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in extensions {
            if let syntax = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, syntax) }
        }
        var bytes = Array(markdown.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}

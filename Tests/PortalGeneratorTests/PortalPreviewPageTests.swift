import PortalPreview
import Testing

/// One page through the preview, as `fuzz-mdx` drives it (Fuzz/Corpus/fuzz-mdx holds these inputs too).
@Suite("Portal preview: one page")
struct PortalPreviewPageTests {
    @Test("an empty front matter (---, ---) renders the body instead of trapping on a reversed range")
    func emptyFrontMatterDoesNotTrap() {
        let page = PortalPreview.render(page: "guides/empty", source: "---\n---\n\nHello **portal**\n")
        #expect(page.path == "guides/empty.html")
        #expect(page.html.contains("<title>guides/empty · "))
        #expect(page.html.contains("Hello <strong>portal</strong>"))
        #expect(!page.html.contains("---"))
    }

    @Test("front matter sets the title and the label; the body is rendered without it")
    func frontMatterTitle() {
        let page = PortalPreview.render(page: "a/b", source: "---\ntitle: \"Quick <start>\"\nsidebar_label: Start\n---\n# Hi\n")
        #expect(page.html.contains("<title>Quick &lt;start&gt; · "))
        #expect(page.html.contains("<h1>Hi</h1>"))
    }
}

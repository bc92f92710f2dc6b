import FuzzSupport
import PortalPreview

/// A portal page's MDX as `/portal/` and `appctl portal preview` render it: front matter,
/// the MDX subset (admonitions, titled code blocks), cmark-gfm, link rewriting.
///
/// Properties: a page renders to one HTML document under its id, whose `<title>` carries no
/// raw markup from the front matter, and rendering is deterministic.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: bytes(data, size), as: UTF8.self)
    let page = PortalPreview.render(page: "guides/fuzz", source: source)
    require(page.path == "guides/fuzz.html", "rendered to \(page.path)")
    require(page.html.hasPrefix("<!doctype html>") || page.html.hasPrefix("<!DOCTYPE html>"), "not an HTML document")
    if let open = page.html.range(of: "<title>"), let close = page.html.range(of: "</title>", range: open.upperBound..<page.html.endIndex) {
        let title = page.html[open.upperBound..<close.lowerBound]
        require(!title.contains("<"), "markup in <title>: \(title)")
    } else {
        require(false, "no <title>")
    }
    require(PortalPreview.render(page: "guides/fuzz", source: source) == page, "rendering is not deterministic")
    return 0
}

/// The executable's entry (SwiftPM links `main` to `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_mdx_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}

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
    // Searched as UTF-8 bytes: a title starting with a combining mark (U+07AD) fuses with the
    // tag's `>` into one Character, so a Character-wise search would miss a tag that is there.
    let html = Array(page.html.utf8)
    if let open = find(Array("<title>".utf8), in: html, from: 0), let close = find(Array("</title>".utf8), in: html, from: open + 7) {
        let title = html[(open + 7)..<close]
        require(!title.contains(UInt8(ascii: "<")), "markup in <title>: \(String(decoding: title, as: UTF8.self))")
    } else {
        require(false, "no <title>")
    }
    require(PortalPreview.render(page: "guides/fuzz", source: source) == page, "rendering is not deterministic")
    return 0
}

/// The index of the first occurrence of `needle` in `haystack` at or after `start`.
func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard needle.count <= haystack.count else { return nil }
    var index = start
    while index + needle.count <= haystack.count {
        if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
        index += 1
    }
    return nil
}

/// The executable's entry (SwiftPM links `main` to `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_mdx_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}

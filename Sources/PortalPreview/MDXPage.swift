import Foundation

/// One portal page as the preview reads it: front matter, then MDX restricted to the
/// subset the generator writes (Markdown, `:::note[Title]` admonitions, titled code
/// blocks, character references), turned into plain GFM for cmark-gfm.
struct MDXPage {
    /// The doc id (`reference/api`), the path under `docs/` without the extension.
    var id: String
    var title: String
    /// What the sidebar shows: `sidebar_label`, else the title.
    var label: String
    var markdown: String

    init(id: String, source: String) {
        self.id = id
        var body = source
        var title = id
        var label: String?
        if source.hasPrefix("---\n"), let end = source.range(of: "\n---\n", range: source.index(source.startIndex, offsetBy: 3)..<source.endIndex) {
            // `---\n---\n` is an empty front matter: its closing `\n---\n` starts at the opening's newline.
            let start = min(source.index(source.startIndex, offsetBy: 4), end.lowerBound)
            for line in source[start..<end.lowerBound].split(separator: "\n") {
                if line.hasPrefix("title:") { title = Self.unquote(line.dropFirst("title:".count).trimmingCharacters(in: .whitespaces)) }
                if line.hasPrefix("sidebar_label:") { label = Self.unquote(line.dropFirst("sidebar_label:".count).trimmingCharacters(in: .whitespaces)) }
            }
            body = String(source[end.upperBound...])
        }
        self.title = title
        self.label = label ?? title
        self.markdown = Self.gfm(body)
    }

    static func unquote(_ value: String) -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        return String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
    }

    /// Admonitions become `<div class="admonition KIND">` blocks (Markdown inside stays
    /// Markdown: each HTML line stands alone between blank lines); a code fence's
    /// `title="…"` becomes a caption above it.
    static func gfm(_ body: String) -> String {
        var lines: [String] = []
        var fence: String?
        for line in body.components(separatedBy: "\n") {
            if let open = fence {
                lines.append(line)
                if line.hasPrefix(open), line.trimmingCharacters(in: CharacterSet(charactersIn: "`")).isEmpty { fence = nil }
                continue
            }
            if line.hasPrefix("```") {
                let marker = String(line.prefix { $0 == "`" })
                fence = marker
                let info = line.dropFirst(marker.count)
                if let match = info.firstMatch(of: /^(\w*)\s+title="([^"]*)"/) {
                    lines += ["<p class=\"code-title\">\(escape(String(match.2)))</p>", "", marker + match.1]
                } else {
                    lines.append(line)
                }
                continue
            }
            // Swift Regex is slow per line; most lines are prose or table rows.
            if line.hasPrefix(":::"), let match = line.firstMatch(of: /^:::(\w+)(?:\[(.*)\])?\s*$/) {
                let kind = String(match.1), label = match.2.map(String.init) ?? kind.capitalized
                lines += ["<div class=\"admonition admonition-\(kind)\">", "", "<p class=\"admonition-title\">\(label)</p>", ""]
                continue
            }
            if line.hasPrefix(":::"), line.trimmingCharacters(in: .whitespaces) == ":::" {
                lines += ["", "</div>", ""]
                continue
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

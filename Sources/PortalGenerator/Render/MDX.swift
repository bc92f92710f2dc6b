import Foundation

/// The strict MDX subset every page is written in: no HTML comments, no bare `{`, `}`, `<`
/// or `>` in prose (character references instead), paths, scopes and values in inline
/// code, tables with escaped pipes, `:::note[Title]` admonitions.
enum MDX {
    /// Prose: characters MDX would read as JSX or expressions become character references,
    /// and words with `:name` in them (scopes like `iam:key:read`), which remark-directive
    /// would take for text directives, become inline code.
    static func text(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let core = word.trimmingCharacters(in: CharacterSet(charactersIn: ",.;)"))
            if let colon = core.firstIndex(of: ":"), core.index(after: colon) < core.endIndex, core[core.index(after: colon)].isLetter,
               !core.contains("`") {
                return code(core) + word.dropFirst(core.count)
            }
            return escaped(String(word))
        }.joined(separator: " ")
    }

    static func escaped(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "{": result += "&#123;"
            case "}": result += "&#125;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\n": result += " "
            default: result.append(character)
            }
        }
        return result
    }

    /// Inline code; long enough backtick fences when the value has backticks.
    static func code(_ value: String) -> String {
        guard !value.isEmpty else { return "" }
        let fence = value.contains("`") ? "``" : "`"
        let padded = value.hasPrefix("`") || value.hasSuffix("`") ? " \(value) " : value
        return fence + padded.replacingOccurrences(of: "\n", with: " ") + fence
    }

    /// A table cell (prose or code already rendered): pipes escaped.
    static func cell(_ rendered: String) -> String {
        rendered.replacingOccurrences(of: "|", with: "\\|")
    }

    /// A GFM table.
    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        var lines = ["| " + headers.joined(separator: " | ") + " |", "|" + headers.map { _ in " --- |" }.joined()]
        for row in rows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }

    /// A fenced code block (its content is literal in MDX).
    static func block(_ language: String, _ content: String) -> String {
        let fence = content.contains("```") ? "````" : "```"
        return "\(fence)\(language)\n\(content.hasSuffix("\n") ? content : content + "\n")\(fence)"
    }

    /// Front matter with an id (no `/`), a title, a position and a description.
    static func frontMatter(id: String, title: String, position: Int, description: String) -> String {
        """
        ---
        id: \(id)
        title: \(yaml(title))
        sidebar_position: \(position)
        description: \(yaml(description))
        ---
        """
    }

    /// A YAML scalar, double-quoted.
    static func yaml(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A JSON string literal.
    static func json(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

extension MDX {
    /// Authored prose (Markdown with inline code and links): `{`, `}`, `<`, `>` outside
    /// inline code become character references; code spans stay as written.
    static func prose(_ value: String) -> String {
        var result = "", inCode = false
        for character in value {
            if character == "`" { inCode.toggle() }
            result += inCode || character == "`" ? String(character) : escaped(String(character))
        }
        return result
    }

    /// A fenced code block with a Docusaurus title.
    static func titledBlock(_ language: String, title: String, _ content: String) -> String {
        block("\(language) title=\(json(title))", content)
    }
}

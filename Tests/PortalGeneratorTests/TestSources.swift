import Foundation

/// The Swift files under `Tests/`, read as text, with just enough structure to find a type's
/// declarations and a function in them: the checkout is formatted (four-space indents, a
/// closing brace at its opening line's indent), so a block ends at the first `}` line at the
/// indent of the line that opened it. What ``LaunchFeatureProofTests`` checks proofs against.
struct TestSources {
    /// A declaration: its attribute and doc lines above it, and its lines through the closing brace.
    struct Declaration {
        var file: String
        var header: String
        var lines: ArraySlice<String>
        var body: String { lines.joined(separator: "\n") }
    }

    var files: [(path: String, lines: [String])]

    /// Reads every `.swift` file under `folder`.
    static func load(_ folder: URL) throws -> TestSources {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var files: [(String, [String])] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            files.append((url.path, try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")))
        }
        return TestSources(files: files.sorted { $0.0 < $1.0 })
    }

    /// Every `struct|class|enum|actor|extension NAME` block.
    func types(named name: String) -> [Declaration] {
        let pattern = try! Regex("^\\s*(?:(?:public|internal|fileprivate|private|final)\\s+)*(?:struct|class|enum|actor|extension)\\s+\(name)\\b")
        return files.flatMap { file in
            // A plain substring test first: a Regex over every line of every test file, for every
            // proof, kept the cooperative pool busy for tens of seconds and starved timing tests.
            file.lines.indices.filter { file.lines[$0].contains(name) && file.lines[$0].contains(pattern) }
                .map { block(file.path, file.lines, at: $0) }
        }
    }

    /// The function `name` declared directly in `type`'s block.
    func function(named name: String, in type: Declaration) -> Declaration? {
        let pattern = try! Regex("^\\s*(?:@\\S+\\s+)*(?:(?:public|internal|fileprivate|private|static|nonisolated|mutating)\\s+)*func\\s+\(name)\\s*[(<]")
        guard let file = files.first(where: { $0.path == type.file }),
              let index = type.lines.indices.dropFirst().first(where: { file.lines[$0].contains(name) && file.lines[$0].contains(pattern) })
        else { return nil }
        return block(file.path, file.lines, at: index)
    }

    /// The functions declared in `types`' blocks, by name.
    func helpers(of types: [Declaration]) -> [(name: String, declaration: Declaration)] {
        let pattern = try! Regex("^\\s*(?:(?:public|internal|fileprivate|private|static|nonisolated|mutating)\\s+)*func\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*[(<]")
        return types.flatMap { type -> [(name: String, declaration: Declaration)] in
            guard let file = files.first(where: { $0.path == type.file }) else { return [] }
            return type.lines.indices.dropFirst().compactMap { index -> (name: String, declaration: Declaration)? in
                guard file.lines[index].contains("func "), let match = file.lines[index].firstMatch(of: pattern),
                      let name = match.output[1].substring else { return nil }
                return (String(name), block(file.path, file.lines, at: index))
            }
        }
    }

    /// The block opened at `index` and the attribute, doc and comment lines right above it.
    func block(_ path: String, _ lines: [String], at index: Int) -> Declaration {
        let indent = lines[index].prefix { $0 == " " }.count
        var end = index
        if !lines[index].hasSuffix("}") {
            end = lines.indices.dropFirst(index + 1).first {
                lines[$0].prefix { $0 == " " }.count == indent && lines[$0].dropFirst(indent).hasPrefix("}")
            } ?? lines.count - 1
        }
        var start = index
        while start > 0 {
            let above = lines[start - 1].trimmingCharacters(in: .whitespaces)
            if above.isEmpty || above.hasSuffix("{") || above.hasSuffix("}") { break }
            start -= 1
        }
        return Declaration(file: path, header: lines[start..<index].joined(separator: "\n"), lines: lines[index...end])
    }

    /// Whether `text` has `identifier` not followed by another identifier character (`.local`, not `.localizedDescription`).
    static func mentions(_ text: String, identifier: String) -> Bool {
        var rest = text[...]
        while let range = rest.range(of: identifier) {
            let after = rest[range.upperBound...].first
            if !(after.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false) { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }
}

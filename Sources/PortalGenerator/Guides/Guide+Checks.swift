import Foundation

extension Guide {
    /// Parses a track's pages and checks them against the contracts: every `appctl` command
    /// and `--option` a step runs must exist in the CLI, every troubleshooting code must be a
    /// stable error code. What fails is a diagnostic (and `appctl portal generate --check`
    /// fails on diagnostics).
    static func track(_ track: String, _ files: [NamedText], commands: [CLICommand], errorCodes: [String],
                      diagnostics: inout [PortalDiagnostic]) -> [Guide] {
        var guides: [Guide] = []
        for (index, file) in files.enumerated() {
            let name = (file.file as NSString).lastPathComponent
            let position = Int(name.prefix { $0.isNumber }) ?? index + 1
            switch parse(file, track: track, position: position) {
            case .failure(let error):
                diagnostics.append(.init(stage: "model", subject: file.file, message: error.message))
            case .success(let guide):
                for problem in guide.problems(commands: commands, errorCodes: Set(errorCodes)) {
                    diagnostics.append(.init(stage: "model", subject: file.file, message: problem))
                }
                if guides.contains(where: { $0.id == guide.id }) {
                    diagnostics.append(.init(stage: "model", subject: file.file, message: "id `\(guide.id)` is used twice"))
                } else {
                    guides.append(guide)
                }
            }
        }
        return guides
    }

    /// Commands, options and codes the page names that the contracts do not have.
    func problems(commands: [CLICommand], errorCodes: Set<String>) -> [String] {
        var problems: [String] = []
        let byPath = Dictionary(commands.map { ($0.path.joined(separator: " "), $0) }, uniquingKeysWith: { first, _ in first })
        for line in commandLines {
            guard let words = Self.appctlWords(line) else { continue }
            // The longest command path the words start with.
            var path: [String] = []
            for word in words where !word.hasPrefix("-") {
                guard byPath[(path + [word]).joined(separator: " ")] != nil else { break }
                path.append(word)
            }
            guard let command = byPath[path.joined(separator: " ")], !path.isEmpty else {
                problems.append("`appctl \(words.prefix(2).joined(separator: " "))` is not an appctl command")
                continue
            }
            let hasSubcommands = commands.contains { $0.path.count == path.count + 1 && Array($0.path.prefix(path.count)) == path }
            if hasSubcommands, let next = words.dropFirst(path.count).first, !next.hasPrefix("-") {
                problems.append("`appctl \(path.joined(separator: " ")) \(next)` is not an appctl command")
            }
            for option in words where option.hasPrefix("--") {
                let name = String(option.prefix { $0 != "=" })
                if command.help.range(of: "\(name)[ ,=\\n)]|\(name)$", options: .regularExpression) == nil {
                    problems.append("`appctl \(path.joined(separator: " "))` has no option \(name)")
                }
            }
        }
        for fix in troubleshooting where !errorCodes.contains(fix.code) {
            problems.append("troubleshooting names `\(fix.code)`, which is not an error code")
        }
        return problems
    }

    /// The commands of every step, continuation lines joined.
    var commandLines: [String] {
        (steps + (check.map { [$0] } ?? [])).flatMap { step in
            step.run.replacingOccurrences(of: "\\\n", with: " ").components(separatedBy: .newlines)
        }
    }

    /// The words of the first `appctl` invocation on a line, up to a pipe, `)` or `;`.
    static func appctlWords(_ line: String) -> [String]? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "(" }).map(String.init)
        guard let start = words.firstIndex(where: { $0 == "appctl" || $0.hasSuffix("/appctl") }) else { return nil }
        var result: [String] = []
        for word in words[(start + 1)...] {
            if ["|", "||", "&&", ";", ">", "2>&1", ")"].contains(word) || word.hasPrefix(">") { break }
            result.append(word.trimmingCharacters(in: CharacterSet(charactersIn: ");")))
            if word.hasSuffix(")") || word.hasSuffix(";") { break }
        }
        return result
    }
}

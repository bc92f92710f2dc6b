import AppCtlKit
import ArgumentParser
import Foundation
import PlatformTestKit
import Testing

/// Every command's help, word for word, against golden files in `Golden/help/`.
/// Run with `UPDATE_GOLDEN=1` to rewrite them after an intended change, then review the diff.
@Suite("appctl help text")
struct HelpTextTests {
    /// Every command of the tree, named by its path (`appctl`, `context-add`, …).
    static let commands: [(String, any ParsableCommand.Type)] = {
        func walk(_ command: any ParsableCommand.Type, _ path: [String]) -> [(String, any ParsableCommand.Type)] {
            let here = path + [command.configuration.commandName ?? ""]
            let name = here.count == 1 ? here[0] : here.dropFirst().joined(separator: "-")
            return [(name, command)] + command.configuration.subcommands.flatMap { walk($0, here) }
        }
        return walk(AppCtl.self, [])
    }()

    static var goldenDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/help")
    }

    @Test("help text matches its golden file", arguments: commands.map(\.0))
    func helpMatchesGolden(name: String) throws {
        let command = try #require(Self.commands.first { $0.0 == name }?.1)
        let help = AppCtl.helpMessage(for: command, columns: 100) + "\n"
        let file = Self.goldenDirectory.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try help.write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(help == golden, "help for \(name) drifted from \(file.lastPathComponent); rerun with UPDATE_GOLDEN=1 and review")
    }

    @Test("no golden help file is left over from a removed command")
    func noStaleGoldenFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.goldenDirectory.path)
            .filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }
        #expect(Set(files) == Set(Self.commands.map(\.0)))
    }

    @Test("--help exits 0 and prints usage; --version prints the version")
    func helpAndVersionFlags() async throws {
        let output = Captured()
        let context = CommandContext(environment: [:], output: { output.append($0) }, errorOutput: { output.append($0) })
        #expect(await AppCtl.run(arguments: ["--help"], context: context) == 0)
        #expect(output.text.contains("USAGE: appctl <subcommand>"))
        let version = Captured()
        let versionContext = CommandContext(environment: [:], output: { version.append($0) }, errorOutput: { version.append($0) })
        #expect(await AppCtl.run(arguments: ["--version"], context: versionContext) == 0)
        #expect(version.text.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test("shell completion scripts name every subcommand", arguments: CompletionShell.allCases)
    func completions(shell: CompletionShell) {
        let script = AppCtl.completionScript(for: shell)
        #expect(script.contains("appctl"))
        for word in ["status", "context", "add", "use", "list", "remove", "tenant", "serviceaccount", "rotate", "verify"] {
            #expect(script.contains(word), "\(shell) completion lacks \(word)")
        }
    }

    @Test("--generate-completion-script prints the script and exits 0")
    func completionFlag() async {
        let output = Captured()
        let context = CommandContext(environment: [:], output: { output.append($0) }, errorOutput: { output.append($0) })
        #expect(await AppCtl.run(arguments: ["--generate-completion-script", "bash"], context: context) == 0)
        #expect(output.text.contains("complete -o filenames -F _appctl appctl"))
    }

    @Test("exit statuses are distinct and documented in the root help")
    func exitStatuses() {
        let codes = ExitStatus.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        let help = AppCtl.helpMessage(columns: 200)
        for status in ExitStatus.allCases {
            #expect(help.contains("\(status.rawValue) "), "exit status \(status.rawValue) is not documented")
        }
    }
}

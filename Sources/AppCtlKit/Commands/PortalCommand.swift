import ArgumentParser
import Foundation
import PlatformContracts
import LocalRuntimeAdapter
import PortalGenerator
import SlurmRuntimeAdapter

/// `appctl portal`: the developer portal, rendered from the contracts.
public struct PortalCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "portal", abstract: "Render the Docusaurus-ready developer portal from the contracts.",
        subcommands: [PortalGenerateCommand.self, PortalPreviewCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl portal generate`.
public struct PortalGenerateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Render portal/ from the manifest schema, apps, registries, the typed API contract and this CLI.",
        discussion: "With --check nothing is written: the exit status is 1 when the files on disk differ from what would be generated, or when an input has a problem (a guide naming a command, option or error code that does not exist).")
    @Option(name: .long, help: ArgumentHelp("The checkout whose manifests/ to read (default: found from the working directory up).", valueName: "dir"))
    var root: String?
    @Option(name: .long, help: ArgumentHelp("Where to write (default: ROOT/portal).", valueName: "dir")) var out: String?
    @Flag(name: .long, help: "Compare with the files on disk instead of writing.") var check = false
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Generates (or checks).
    public func run(in context: CommandContext) async throws {
        let checkout = try root.map { URL(fileURLWithPath: $0) } ?? Self.findCheckout()
        let destination = out.map { URL(fileURLWithPath: $0) } ?? checkout.appendingPathComponent("portal")
        let started = ContinuousClock.now
        var inputs = try PortalInputs.load(
            checkout: checkout, commands: Self.commands(), api: PortalAPIContract.current(),
            adapters: [LocalRuntimeAdapter.declaredCapabilities, SlurmRuntimeAdapter.declaredCapabilities])
        inputs.exitStatuses = Dictionary(ErrorCode.allCases.map { ($0.rawValue, ExitStatus.forCode($0).rawValue) }, uniquingKeysWith: { first, _ in first })
        let output = PortalGenerator.generate(inputs)
        let elapsed = ContinuousClock.now - started
        for diagnostic in output.diagnostics { context.errorOutput("warning: \(diagnostic)") }
        if check {
            guard output.diagnostics.isEmpty else {
                throw AppCtlError(.configInvalid, "\(output.diagnostics.count) problem(s) in the portal's inputs (listed above)")
            }
            let drifted = output.files.filter { file in
                (try? String(contentsOf: destination.appendingPathComponent(file.path), encoding: .utf8)) != file.contents
            }
            guard drifted.isEmpty else {
                throw AppCtlError(.configInvalid, "\(drifted.count) portal file(s) differ from the contracts: \(drifted.prefix(5).map(\.path).joined(separator: ", ")); run appctl portal generate")
            }
            context.output("portal is up to date (\(output.files.count) files)")
            return
        }
        try PortalGenerator.write(output, to: destination)
        context.output(try Renderer(format: global.output).render(["files": output.files.count, "diagnostics": output.diagnostics.count]) {
            "wrote \(output.files.count) files to \(destination.path) in \(elapsed)"
        })
    }

    /// Every command of the CLI with the help it prints (100 columns, as the golden files).
    public static func commands() -> [CLICommand] {
        func walk(_ command: any ParsableCommand.Type, _ path: [String]) -> [CLICommand] {
            let here = path + (command == AppCtl.self ? [] : [command.configuration.commandName ?? ""])
            return [CLICommand(path: here, help: AppCtl.helpMessage(for: command, columns: 100))]
                + command.configuration.subcommands.flatMap { walk($0, here) }
        }
        return walk(AppCtl.self, [])
    }

    /// The nearest folder, from the working directory up, that has `manifests/schema`.
    static func findCheckout() throws -> URL {
        var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifests/schema").path) { return folder }
            let parent = folder.deletingLastPathComponent()
            guard parent.path != folder.path else {
                throw AppCtlError(.configInvalid, "no checkout with manifests/schema above \(FileManager.default.currentDirectoryPath); pass --root")
            }
            folder = parent
        }
    }
}

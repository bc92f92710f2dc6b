import ArgumentParser
import Foundation
import PlatformContracts

/// `appctl context add NAME --server URL [--token T] [--project TENANT/PROJECT]`.
public struct ContextAddCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add or replace a context; the first one added becomes current.")

    @Argument(help: "The context's name.") var name: String
    @Option(name: .long, help: ArgumentHelp("The server's base URL, e.g. http://127.0.0.1:8080.", valueName: "url"))
    var server: String
    @Option(name: .long, help: ArgumentHelp("An API key to store with the context.", valueName: "token"))
    var token: String?
    @Option(name: .long, help: ArgumentHelp("Default project of commands that take --project: tenant/project or its id.", valueName: "project"))
    var project: String?
    @Flag(name: .long, help: "Make it the current context.") var use = false
    @Option(name: [.short, .long], help: "Output format: table, json or yaml.") var output: OutputFormat = .table

    /// Creates the command.
    public init() {}

    /// Checks the name and URL.
    public func validate() throws {
        guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", options: .regularExpression) != nil else {
            throw ValidationError("Context names are 1–63 letters, digits, '.', '_' or '-', starting with a letter or digit.")
        }
        guard let url = URL(string: server), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--server must be an http:// or https:// URL, e.g. http://127.0.0.1:8080.")
        }
        if let project { _ = try ProjectOption.checked(project) }
    }

    /// Writes the context.
    public func run(in context: CommandContext) async throws {
        var config = try AppCtlConfig.load(from: context.configPath)
        let entry = AppCtlConfig.Context(name: name, server: server, token: token, project: try project.map(ProjectOption.checked))
        if let index = config.contexts.firstIndex(where: { $0.name == name }) {
            config.contexts[index] = entry
        } else {
            config.contexts.append(entry)
        }
        if use || config.currentContext == nil { config.currentContext = name }
        try config.save(to: context.configPath)
        let summary = ContextListCommand.Row(name: name, server: server, current: config.currentContext == name, hasToken: token != nil,
                                             project: entry.project)
        context.output(try Renderer(format: output).render(summary) {
            "Context \"\(name)\" → \(server)\(summary.current ? " (current)" : "")"
        })
    }
}

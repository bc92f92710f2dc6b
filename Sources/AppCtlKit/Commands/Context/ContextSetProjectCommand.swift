import ArgumentParser
import PlatformContracts

/// `appctl context set-project [TENANT/PROJECT] [--context NAME]`: the default project of
/// commands that take `--project`, kept with the context (none given: cleared).
public struct ContextSetProjectCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "set-project",
        abstract: "Set the context's default project (tenant/project or its id); without one, clear it.")

    @Argument(help: ArgumentHelp("tenant/project (names) or the project's id.", valueName: "project")) var project: String?
    @Option(name: .long, help: ArgumentHelp("The context to change (default: the current one).", valueName: "name")) var context: String?
    @Option(name: [.short, .long], help: "Output format: table, json or yaml.") var output: OutputFormat = .table

    /// Creates the command.
    public init() {}

    /// Checks the project reference.
    public func validate() throws {
        if let project { _ = try ProjectOption.checked(project) }
    }

    /// Writes the default project.
    public func run(in context: CommandContext) async throws {
        var config = try AppCtlConfig.load(from: context.configPath)
        guard let name = self.context ?? config.currentContext else {
            throw AppCtlError(.clientContextNotFound, "no current context; run `appctl context add NAME --server URL` first")
        }
        guard let index = config.contexts.firstIndex(where: { $0.name == name }) else {
            _ = try config.requireContext(named: name)  // throws the usual not-found answer
            return
        }
        config.contexts[index].project = try project.map(ProjectOption.checked)
        try config.save(to: context.configPath)
        let entry = config.contexts[index]
        let summary = ContextListCommand.Row(name: name, server: entry.server, current: config.currentContext == name,
                                             hasToken: entry.token != nil, project: entry.project)
        context.output(try Renderer(format: output).render(summary) {
            entry.project.map { "Context \"\(name)\" uses project \($0) by default" } ?? "Context \"\(name)\" has no default project"
        })
    }
}

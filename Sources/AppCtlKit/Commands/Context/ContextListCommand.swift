import ArgumentParser

/// `appctl context list`.
public struct ContextListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List contexts; * marks the current one.")

    @Option(name: [.short, .long], help: "Output format: table, json or yaml.") var output: OutputFormat = .table

    /// Creates the command.
    public init() {}

    /// One context as `--output json|yaml` prints it (tokens are never printed).
    public struct Row: Codable, Sendable, Equatable {
        /// Name.
        public var name: String
        /// Server URL.
        public var server: String
        /// Whether it is current.
        public var current: Bool
        /// Whether a token is stored.
        public var hasToken: Bool
        /// The default project, if set.
        public var project: String?
    }

    /// Prints the contexts.
    public func run(in context: CommandContext) async throws {
        let config = try AppCtlConfig.load(from: context.configPath)
        let rows = config.contexts.map {
            Row(name: $0.name, server: $0.server, current: $0.name == config.currentContext, hasToken: $0.token != nil, project: $0.project)
        }
        context.output(try Renderer(format: output).render(rows) {
            rows.isEmpty
                ? "No contexts. Add one with: appctl context add NAME --server URL"
                : TextTable(
                    headers: ["CURRENT", "NAME", "SERVER", "TOKEN", "PROJECT"],
                    rows: rows.map { [$0.current ? "*" : "", $0.name, $0.server, $0.hasToken ? "stored" : "-", $0.project ?? "-"] }
                ).render()
        })
    }
}

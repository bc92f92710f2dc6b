import ArgumentParser

/// Options every command accepts.
public struct GlobalOptions: ParsableArguments, Sendable {
    /// Server URL override.
    @Option(name: .long, help: ArgumentHelp("Server URL (overrides APPCTL_SERVER and the context).", valueName: "url"))
    public var server: String?

    /// Token override.
    @Option(name: .long, help: ArgumentHelp("API key (overrides APPCTL_TOKEN and the context).", valueName: "token"))
    public var token: String?

    /// Context override.
    @Option(name: .long, help: ArgumentHelp("Use this context instead of the current one.", valueName: "name"))
    public var context: String?

    /// Output format.
    @Option(name: [.short, .long], help: "Output format: table, json or yaml (csv for billing statement and usage summary).")
    public var output: OutputFormat = .table

    /// Creates default options.
    public init() {}
}

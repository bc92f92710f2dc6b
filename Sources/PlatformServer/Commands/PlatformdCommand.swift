import ArgumentParser

/// `platformd`: the platform server.
public struct PlatformdCommand: AsyncParsableCommand {
    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "platformd",
        abstract: "The app-runtime platform server.",
        subcommands: [ServeCommand.self, VersionCommand.self],
        defaultSubcommand: nil
    )

    /// Creates the root command.
    public init() {}
}

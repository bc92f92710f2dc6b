import ArgumentParser

/// `appctl context`: named servers in the config file.
public struct ContextCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Manage named servers (contexts) in ~/.config/appctl/config.yaml.",
        subcommands: [ContextAddCommand.self, ContextUseCommand.self, ContextListCommand.self, ContextRemoveCommand.self,
                      ContextSetProjectCommand.self]
    )

    /// Creates the command.
    public init() {}
}

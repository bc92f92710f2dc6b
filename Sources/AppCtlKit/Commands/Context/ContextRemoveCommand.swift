import ArgumentParser
import PlatformContracts

/// `appctl context remove NAME`.
public struct ContextRemoveCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a context.")

    @Argument(help: "The context's name.") var name: String

    /// Creates the command.
    public init() {}

    /// Deletes the context; clears the current one if it was this.
    public func run(in context: CommandContext) async throws {
        var config = try AppCtlConfig.load(from: context.configPath)
        _ = try config.requireContext(named: name)
        config.contexts.removeAll { $0.name == name }
        if config.currentContext == name { config.currentContext = nil }
        try config.save(to: context.configPath)
        context.output("Removed context \"\(name)\".")
    }
}

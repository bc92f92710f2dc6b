import ArgumentParser
import PlatformContracts

/// `appctl context use NAME`.
public struct ContextUseCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "use", abstract: "Make a context the current one.")

    @Argument(help: "The context's name.") var name: String

    /// Creates the command.
    public init() {}

    /// Switches the current context.
    public func run(in context: CommandContext) async throws {
        var config = try AppCtlConfig.load(from: context.configPath)
        _ = try config.requireContext(named: name)
        config.currentContext = name
        try config.save(to: context.configPath)
        context.output("Switched to context \"\(name)\".")
    }
}

import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl status history COMPONENT`: a component's condition changes, newest first.
public struct StatusHistoryCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "history", abstract: "A component's condition changes, newest first, with their causes (needs status:read).")
    @Argument(help: "Component id (database, blob-store, adapter:local, module:apps).") var component: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Prints the history.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let history = try await client.send(Endpoints.getComponentHistory, path: .init(component: component))
        context.output(try Renderer(format: global.output).render(history) {
            TextTable(headers: ["AT", "CONDITION", "CAUSE"], rows: history.map { [$0.at, $0.condition.rawValue, $0.cause] }).render()
        })
    }
}

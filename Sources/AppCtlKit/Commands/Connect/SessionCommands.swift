import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl session`: list and revoke connect sessions.
public struct SessionCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "session", abstract: "List and revoke connect sessions.",
        subcommands: [SessionListCommand.self, SessionRevokeCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl session list`.
public struct SessionListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List a project's connect sessions, newest first.")
    @OptionGroup var projectOption: ProjectOption
    @Option(name: .long, help: ArgumentHelp("Only this instance's sessions.", valueName: "instance")) var instance: String?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let sessions = try await client.send(Endpoints.listConnectSessions, path: .init(project: project),
                                             query: ConnectSessionsQuery(instance: instance))
        context.output(try Renderer(format: global.output).render(sessions) {
            TextTable(headers: ["ID", "INSTANCE", "ACTION", "TYPE", "PRINCIPAL", "STATE", "EXPIRES"], rows: sessions.map {
                [$0.id, $0.instanceId, $0.action, $0.type, $0.principalId, $0.state + ($0.endedReason.map { " (\($0))" } ?? ""), $0.expiresAt]
            }).render()
        })
    }
}

/// `appctl session revoke ID`.
public struct SessionRevokeCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a connect session now; its tunnels close.")
    @Argument(help: "The session id.") var id: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Revokes.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let session = try await client.send(Endpoints.revokeConnectSession, path: .init(project: project, id))
        context.output(try Renderer(format: global.output).render(session) {
            "Session \(session.id) is \(session.state)\(session.endedReason.map { " (\($0))" } ?? "")."
        })
    }
}

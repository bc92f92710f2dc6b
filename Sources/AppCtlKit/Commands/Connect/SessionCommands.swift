import ArgumentParser
import Foundation
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
    @Option(name: .long, help: ArgumentHelp("Project id.", valueName: "project")) var project: String
    @Option(name: .long, help: ArgumentHelp("Only this instance's sessions.", valueName: "instance")) var instance: String?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        var path = "/v1/projects/\(project.pathEscaped)/connect-sessions"
        if let instance { path += "?instance=\(instance.pathEscaped)" }
        let sessions = try await client.get(path, as: [ConnectSessionRecord].self).body
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
    @Option(name: .long, help: ArgumentHelp("Project id.", valueName: "project")) var project: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Revokes.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let data = try await client.raw(.delete, "/v1/projects/\(project.pathEscaped)/connect-sessions/\(id.pathEscaped)")
        let session = try client.decode(ConnectSessionRecord.self, data, status: 200, path: "connect-sessions/\(id)")
        context.output(try Renderer(format: global.output).render(session) {
            "Session \(session.id) is \(session.state)\(session.endedReason.map { " (\($0))" } ?? "")."
        })
    }
}

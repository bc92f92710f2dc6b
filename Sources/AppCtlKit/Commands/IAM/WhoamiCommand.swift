import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl whoami`.
public struct WhoamiCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show who the current key belongs to and what it may do.")
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Prints the caller.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let caller = try await client.send(Endpoints.whoami)
        context.output(try Renderer(format: global.output).render(caller) { Self.table(caller) })
    }

    static func table(_ caller: Caller) -> String {
        TextTable(headers: ["PRINCIPAL", "\(caller.principalName) (\(caller.principalKind), \(caller.principalId))"], rows: [
            ["KEY", "\(caller.keyId), expires \(caller.expiresAt)"],
            ["TENANT", caller.tenantId ?? "(platform)"],
            ["PROJECT", caller.projectId ?? "-"],
            ["SCOPES", caller.scopes.joined(separator: " ")],
        ]).render()
    }
}

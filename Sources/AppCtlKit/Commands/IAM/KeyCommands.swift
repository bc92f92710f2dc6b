import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl key`.
public struct KeyCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Issue, list, rotate and revoke API keys.",
        subcommands: [KeyCreateCommand.self, KeyListCommand.self, KeyRotateCommand.self, KeyRevokeCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl key create --serviceaccount SA --scope S … --expires 30d`.
public struct KeyCreateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Issue a key to a service account; the key is printed once.")
    @Option(name: .long, help: ArgumentHelp("Service account id or name.", valueName: "account")) var serviceaccount: String
    @Option(name: .long, help: ArgumentHelp("A scope from the scope registry; repeat for more.", valueName: "scope")) var scope: [String]
    @Option(name: .long, help: ArgumentHelp("Lifetime, e.g. 30d, 12h, 90m (mandatory).", valueName: "lifetime")) var expires: LifetimeArgument
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Issues the key.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let issued = try await client.send(
            Endpoints.createKey, body: KeyRequest(serviceAccount: serviceaccount, scopes: scope, expiresInSeconds: expires.seconds))
        context.output(try Renderer(format: global.output).render(issued) {
            """
            \(issued.key)

            Key \(issued.info.id) for \(issued.info.principalId), scopes \(issued.info.scopes.joined(separator: " ")),
            expires \(issued.info.expiresAt). This is the only time the key is shown: store it now.
            """
        })
    }
}

/// `appctl key list`.
public struct KeyListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the keys you can see (never their secrets).")
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists keys.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let keys = try await client.send(Endpoints.listKeys)
        context.output(try Renderer(format: global.output).render(keys) {
            TextTable(
                headers: ["ID", "PRINCIPAL", "PROJECT", "EXPIRES", "STATE", "SCOPES"],
                rows: keys.map { key in
                    let state = key.revokedAt != nil ? "revoked" : key.replacedBy != nil ? "rotated" : "active"
                    return [key.id, key.principalId, key.projectId ?? "-", key.expiresAt, state, key.scopes.joined(separator: " ")]
                }
            ).render()
        })
    }
}

/// `appctl key rotate ID [--overlap 1h]`.
public struct KeyRotateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "rotate", abstract: "Issue a replacement; the old key works only for the overlap.")
    @Argument(help: "Key id.") var id: String
    @Option(name: .long, help: ArgumentHelp("How long the old key keeps working (default 1h, at most 7d).", valueName: "lifetime"))
    var overlap: LifetimeArgument?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Rotates the key.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let issued = try await client.send(
            Endpoints.rotateKey, path: .init(key: id), body: RotateKeyRequest(overlapSeconds: overlap?.seconds ?? 3600))
        context.output(try Renderer(format: global.output).render(issued) {
            "\(issued.key)\n\nReplacement \(issued.info.id) expires \(issued.info.expiresAt); store it now. Key \(id) stops after the overlap."
        })
    }
}

/// `appctl key revoke ID`.
public struct KeyRevokeCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a key now.")
    @Argument(help: "Key id.") var id: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Revokes the key.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let info = try await client.send(Endpoints.revokeKey, path: .init(key: id))
        context.output(try Renderer(format: global.output).render(info) { "Revoked key \(info.id) at \(info.revokedAt ?? "?")." })
    }
}

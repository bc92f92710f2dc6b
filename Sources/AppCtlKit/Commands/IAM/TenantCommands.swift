import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl tenant`.
public struct TenantCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Create and list tenants.", subcommands: [TenantCreateCommand.self, TenantListCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl tenant create NAME`.
public struct TenantCreateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a tenant (platform administrators).")
    @Argument(help: "Lowercase name, unique on the platform.") var name: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Creates the tenant.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let tenant = try await client.send(Endpoints.createTenant, body: NameRequest(name: name))
        context.output(try Renderer(format: global.output).render(tenant) { "Created tenant \(tenant.name) (\(tenant.id))." })
    }
}

/// `appctl tenant list`.
public struct TenantListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tenants you can see.")
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists tenants.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let tenants = try await client.send(Endpoints.listTenants)
        context.output(try Renderer(format: global.output).render(tenants) {
            TextTable(headers: ["ID", "NAME", "CREATED"], rows: tenants.map { [$0.id, $0.name, $0.createdAt] }).render()
        })
    }
}

import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl project`.
public struct ProjectCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "project", abstract: "Create and list projects of a tenant.",
        subcommands: [ProjectCreateCommand.self, ProjectListCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl project create NAME --tenant T`.
public struct ProjectCreateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a project in a tenant.")
    @Argument(help: "Lowercase name, unique in the tenant.") var name: String
    @Option(name: .long, help: ArgumentHelp("Tenant id or name.", valueName: "tenant")) var tenant: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Creates the project.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let project = try await client.send(Endpoints.createProject, path: .init(tenant: tenant), body: NameRequest(name: name))
        context.output(try Renderer(format: global.output).render(project) { "Created project \(project.name) (\(project.id))." })
    }
}

/// `appctl project list --tenant T`.
public struct ProjectListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List a tenant's projects.")
    @Option(name: .long, help: ArgumentHelp("Tenant id or name.", valueName: "tenant")) var tenant: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists projects.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let projects = try await client.send(Endpoints.listProjects, path: .init(tenant: tenant))
        context.output(try Renderer(format: global.output).render(projects) {
            TextTable(headers: ["ID", "NAME", "TENANT", "CREATED"], rows: projects.map { [$0.id, $0.name, $0.tenantId, $0.createdAt] }).render()
        })
    }
}

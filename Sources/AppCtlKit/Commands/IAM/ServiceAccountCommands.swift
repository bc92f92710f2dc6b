import ArgumentParser
import PlatformContracts

/// `appctl serviceaccount`.
public struct ServiceAccountCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "serviceaccount", abstract: "Manage a project's service accounts.",
        subcommands: [ServiceAccountCreateCommand.self, ServiceAccountListCommand.self, ServiceAccountDeleteCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl serviceaccount create NAME --project P [--role R]`.
public struct ServiceAccountCreateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a service account with a role in a project.")
    @Argument(help: "Lowercase name, unique in the tenant.") var name: String
    @Option(name: .long, help: ArgumentHelp("Project id.", valueName: "project")) var project: String
    @Option(name: .long, help: "project-admin, developer or viewer.") var role: String = "developer"
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Creates the account.
    public func run(in context: CommandContext) async throws {
        struct Body: Encodable { var name: String; var role: String }
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let account = try await client.send(
            .post, "/v1/projects/\(project.pathEscaped)/serviceaccounts", json: Body(name: name, role: role), as: ServiceAccount.self)
        context.output(try Renderer(format: global.output).render(account) {
            "Created service account \(account.name) (\(account.id)) with role \(account.role)."
        })
    }
}

/// `appctl serviceaccount list --project P`.
public struct ServiceAccountListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List a project's service accounts.")
    @Option(name: .long, help: ArgumentHelp("Project id.", valueName: "project")) var project: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists accounts.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let accounts = try await client.get("/v1/projects/\(project.pathEscaped)/serviceaccounts", as: [ServiceAccount].self).body
        context.output(try Renderer(format: global.output).render(accounts) {
            TextTable(headers: ["ID", "NAME", "ROLE", "CREATED"], rows: accounts.map { [$0.id, $0.name, $0.role, $0.createdAt] }).render()
        })
    }
}

/// `appctl serviceaccount delete ID --project P`.
public struct ServiceAccountDeleteCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a service account; its keys stop working at once.")
    @Argument(help: "Service account id.") var id: String
    @Option(name: .long, help: ArgumentHelp("Project id.", valueName: "project")) var project: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Deletes the account.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        _ = try await client.raw(.delete, "/v1/projects/\(project.pathEscaped)/serviceaccounts/\(id.pathEscaped)")
        context.output("Deleted service account \(id); its keys are revoked.")
    }
}

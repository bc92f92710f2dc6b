import ArgumentParser
import PlatformContracts

/// `appctl serviceaccount`.
public struct ServiceAccountCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "serviceaccount", abstract: "Manage service accounts of a project, or tenant-wide ones.",
        subcommands: [ServiceAccountCreateCommand.self, ServiceAccountListCommand.self, ServiceAccountDeleteCommand.self])
    /// Creates the command.
    public init() {}
}

/// `--project P` or `--tenant T`: where a service account works.
public struct AccountReachOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("Project id (a project service account).", valueName: "project")) var project: String?
    @Option(name: .long, help: ArgumentHelp("Tenant id or name (a tenant-wide service account).", valueName: "tenant")) var tenant: String?

    /// Creates the options.
    public init() {}

    /// Exactly one of the two.
    public func validate() throws {
        guard (project == nil) != (tenant == nil) else {
            throw ValidationError("Pass exactly one of --project (project account) or --tenant (tenant-wide account).")
        }
    }

    /// `/v1/projects/P/serviceaccounts` or `/v1/tenants/T/serviceaccounts`.
    var collectionPath: String {
        if let project { return "/v1/projects/\(project.pathEscaped)/serviceaccounts" }
        return "/v1/tenants/\((tenant ?? "").pathEscaped)/serviceaccounts"
    }
}

/// `appctl serviceaccount create NAME (--project P | --tenant T) [--role R]`.
public struct ServiceAccountCreateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a service account with a role in a project, or tenant-wide.")
    @Argument(help: "Lowercase name, unique in the tenant.") var name: String
    @OptionGroup var reach: AccountReachOptions
    @Option(name: .long, help: "project-admin, developer or viewer (tenant-wide: tenant-admin, developer or viewer).")
    var role: String = "developer"
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Creates the account.
    public func run(in context: CommandContext) async throws {
        struct Body: Encodable { var name: String; var role: String }
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let account = try await client.send(
            .post, reach.collectionPath, json: Body(name: name, role: role), as: ServiceAccount.self)
        context.output(try Renderer(format: global.output).render(account) {
            "Created service account \(account.name) (\(account.id)) with role \(account.role)."
        })
    }
}

/// `appctl serviceaccount list (--project P | --tenant T)`.
public struct ServiceAccountListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a project's service accounts, or a tenant's tenant-wide ones.")
    @OptionGroup var reach: AccountReachOptions
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists accounts.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let accounts = try await client.get(reach.collectionPath, as: [ServiceAccount].self).body
        context.output(try Renderer(format: global.output).render(accounts) {
            TextTable(headers: ["ID", "NAME", "ROLE", "CREATED"], rows: accounts.map { [$0.id, $0.name, $0.role, $0.createdAt] }).render()
        })
    }
}

/// `appctl serviceaccount delete ID (--project P | --tenant T)`.
public struct ServiceAccountDeleteCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a service account; its keys stop working at once.")
    @Argument(help: "Service account id.") var id: String
    @OptionGroup var reach: AccountReachOptions
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Deletes the account.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        _ = try await client.raw(.delete, "\(reach.collectionPath)/\(id.pathEscaped)")
        context.output("Deleted service account \(id); its keys are revoked.")
    }
}

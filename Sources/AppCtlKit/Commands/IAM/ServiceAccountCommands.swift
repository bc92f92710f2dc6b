import ArgumentParser
import PlatformAPI
import PlatformClient
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

/// `--project P`, `--tenant T` or (create only) `--platform`: where a service account works.
public struct AccountReachOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("Project, tenant/project or its id (a project service account).", valueName: "project")) var project: String?
    @Option(name: .long, help: ArgumentHelp("Tenant id or name (a tenant-wide service account).", valueName: "tenant")) var tenant: String?
    @Flag(name: .long, help: "A platform-wide account (create only; roles platform-control, security-owner; needs a platform-wide key).")
    var platform = false

    /// Creates the options.
    public init() {}

    /// Exactly one of the three.
    public func validate() throws {
        guard [project != nil, tenant != nil, platform].filter({ $0 }).count == 1 else {
            throw ValidationError("Pass exactly one of --project (project account), --tenant (tenant-wide account) or --platform (platform-wide account).")
        }
    }

    /// Creates the account in the project, tenant-wide or platform-wide.
    func create(_ request: ServiceAccountRequest, with client: PlatformClient) async throws -> ServiceAccount {
        if platform { return try await client.send(Endpoints.createPlatformServiceAccount, body: request) }
        if let project { return try await client.send(Endpoints.createServiceAccount, path: .init(project: project), body: request) }
        return try await client.send(Endpoints.createTenantServiceAccount, path: .init(tenant: tenant ?? ""), body: request)
    }

    /// The project's accounts, or the tenant's tenant-wide ones.
    func list(with client: PlatformClient) async throws -> [ServiceAccount] {
        if platform { throw ValidationError("--platform only creates; list platform-wide accounts' keys with `appctl key list`.") }
        if let project { return try await client.send(Endpoints.listServiceAccounts, path: .init(project: project)) }
        return try await client.send(Endpoints.listTenantServiceAccounts, path: .init(tenant: tenant ?? ""))
    }

    /// Deletes account `id` of the project, or the tenant-wide one.
    func delete(_ id: String, with client: PlatformClient) async throws {
        if platform { throw ValidationError("--platform only creates a platform-wide account.") }
        if let project {
            _ = try await client.send(Endpoints.deleteServiceAccount, path: .init(project: project, id))
        } else {
            _ = try await client.send(Endpoints.deleteTenantServiceAccount, path: .init(tenant: tenant ?? "", account: id))
        }
    }
}

/// `appctl serviceaccount create NAME (--project P | --tenant T) [--role R]`.
public struct ServiceAccountCreateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a service account with a role in a project, or tenant-wide.")
    @Argument(help: "Lowercase name, unique in the tenant.") var name: String
    @OptionGroup var reach: AccountReachOptions
    @Option(name: .long, help: "project-admin, developer, viewer or security-owner (tenant-wide: tenant-admin, …; platform-wide: platform-control or security-owner).")
    var role: String = "developer"
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Creates the account.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let account = try await reach.create(ServiceAccountRequest(name: name, role: role), with: client)
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
        let accounts = try await reach.list(with: client)
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
        try await reach.delete(id, with: client)
        context.output("Deleted service account \(id); its keys are revoked.")
    }
}

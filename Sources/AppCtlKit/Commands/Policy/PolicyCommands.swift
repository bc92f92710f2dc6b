import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl policy`: the values that apply to a project and where they came from, and overrides.
public struct PolicyCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show, explain, set and clear policies (quotas, limits, flags); manage departments.",
        subcommands: [PolicyShowCommand.self, PolicyExplainCommand.self, PolicySetCommand.self, PolicyClearCommand.self,
                      DepartmentCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl policy show [--project P]`.
public struct PolicyShowCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Every policy resolved for a project, with the level it came from and the snapshot.")
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Shows.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let policies = try await client.send(Endpoints.listProjectPolicies, path: .init(project: project))
        context.output(try Renderer(format: global.output).render(policies) {
            let table = TextTable(headers: ["KEY", "VALUE", "SOURCE"], rows: policies.policies.map {
                [$0.key, PolicyText.value($0.value), "\($0.level.rawValue) \($0.source)"]
            }).render()
            return [PolicyText.placement(policies.placement), table, PolicyText.stamp(policies.snapshot)].joined(separator: "\n")
        })
    }
}

/// `appctl policy explain KEY [--project P]`.
public struct PolicyExplainCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "One policy for a project: each level (default, plan, tenant, department, project) and the winner.")
    @Argument(help: "Policy key (quota.concurrent_instances).") var key: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Explains.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let explanation = try await client.send(Endpoints.explainPolicy, path: .init(project: project, key))
        context.output(try Renderer(format: global.output).render(explanation) { Self.table(explanation) })
    }

    /// Every level in precedence order, `*` on the one in force; a level that sets nothing
    /// shows `-`, so it is plain which levels could still override.
    static func table(_ explanation: PolicyExplanation) -> String {
        let definition = explanation.definition
        let rows = PolicyLevel.allCases.map { level -> [String] in
            guard let source = explanation.chain.last(where: { $0.level == level }) else { return ["", level.rawValue, "-", "-"] }
            return [source == explanation.winner ? "*" : "", level.rawValue, source.name, PolicyText.value(source.value)]
        }
        return [
            "\(definition.policyKey) (\(definition.type.rawValue), scope \(definition.scope.rawValue), \(definition.lifecycle.rawValue)): "
                + "\(PolicyText.value(explanation.winner.value)) from \(explanation.winner.level.rawValue) \(explanation.winner.name)",
            PolicyText.placement(explanation.placement),
            TextTable(headers: ["", "LEVEL", "SOURCE", "VALUE"], rows: rows).render(),
            PolicyText.stamp(explanation.snapshot),
        ].joined(separator: "\n")
    }
}

/// `appctl policy set KEY VALUE (--tenant T | --department T/D | --project P)`.
public struct PolicySetCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Override a policy for a tenant, department or project (a new policy snapshot).",
        discussion: "VALUE is written in the policy's type: 20 (integer), true/false or on/off (flag), H100,A100 (list), H100=8,A100=4 (integer map).")
    @Argument(help: "Policy key.") var key: String
    @Argument(help: "The value, in the policy's type.") var value: String
    @OptionGroup var target: PolicyTargetOptions
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Sets.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let parsed = try await Self.parse(value, for: key, with: client)
        let change = try await client.send(Endpoints.setPolicy, path: .init(policy: key), body: try target.request(parsed))
        context.output(try Renderer(format: global.output).render(change) { PolicyText.change(change) })
    }

    /// Reads `text` in the type the registry gives `key`, so a typo is refused before any change.
    /// - Throws: ``ErrorCode/policyKeyUnknown`` or ``ErrorCode/policyValueInvalid``.
    static func parse(_ text: String, for key: String, with client: PlatformClient) async throws -> PolicyValue {
        let plans = try await client.send(Endpoints.listPlans)
        guard let definition = plans.definitions.first(where: { $0.policyKey == key }) else {
            throw AppCtlError(.policyKeyUnknown, "no policy \(key) in the policy registry; appctl plan list shows the keys")
        }
        do {
            return try PolicyValue.parse(text, as: definition.type)
        } catch {
            throw AppCtlError(.policyValueInvalid, "\(key) is a \(definition.type.rawValue) policy: \(error.message)")
        }
    }
}

/// `appctl policy clear KEY (--tenant T | --department T/D | --project P)`.
public struct PolicyClearCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "clear", abstract: "Remove a policy override, so the level below decides again (a new policy snapshot).")
    @Argument(help: "Policy key.") var key: String
    @OptionGroup var target: PolicyTargetOptions
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Clears.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let change = try await client.send(Endpoints.setPolicy, path: .init(policy: key), body: try target.request(nil))
        context.output(try Renderer(format: global.output).render(change) { PolicyText.change(change) })
    }
}

/// `appctl policy department`: named groups of projects inside a tenant, a level of policy.
public struct DepartmentCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "department", abstract: "Define departments: named groups of a tenant's projects that policies can target.",
        subcommands: [DepartmentSetCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl policy department set T/D --project P…`.
public struct DepartmentSetCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set a department's projects (no --project removes it); a project leaves its previous department.")
    @Argument(help: "tenant/department.") var department: String
    @Option(name: .long, help: ArgumentHelp("A project of the tenant (repeat): tenant/project or its id.", valueName: "project"))
    var project: [String] = []
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses a malformed department or project before any request.
    public func validate() throws {
        guard PolicyTargetOptions.split(department) != nil else { throw ValidationError("The department is tenant/department, not \"\(department)\".") }
        for reference in project { _ = try ProjectOption.checked(reference) }
    }

    /// Sets.
    public func run(in context: CommandContext) async throws {
        guard let (tenant, name) = PolicyTargetOptions.split(department) else { throw ValidationError("The department is tenant/department.") }
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let projects = try project.map { try ProjectOption.checked($0) }
        let change = try await client.send(Endpoints.setDepartment, path: .init(tenant: tenant, department: name),
                                           body: DepartmentRequest(projects: projects))
        context.output(try Renderer(format: global.output).render(change) { PolicyText.change(change) })
    }
}

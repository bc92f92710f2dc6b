import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl plan`: the plans (named sets of policy values) and which tenant has which.
public struct PlanCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "List plans and assign one to a tenant.", subcommands: [PlanListCommand.self, PlanAssignCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl plan list`.
public struct PlanListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "The plans with the values each sets.")
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let plans = try await client.send(Endpoints.listPlans)
        context.output(try Renderer(format: global.output).render(plans) {
            let rows = plans.plans.map { plan in
                [plan.planId + (plan.planId == plans.defaultPlan ? " (default)" : ""),
                 plan.values.sorted { $0.key < $1.key }.map { "\($0.key)=\(PolicyText.value($0.value))" }.joined(separator: " "),
                 plan.description]
            }
            return [TextTable(headers: ["PLAN", "VALUES", "DESCRIPTION"], rows: rows).render(), PolicyText.stamp(plans.snapshot)]
                .joined(separator: "\n")
        })
    }
}

/// `appctl plan assign PLAN --tenant T`.
public struct PlanAssignCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign a plan to a tenant (a new policy snapshot).")
    @Argument(help: "Plan id (plan.research).") var plan: String
    @Option(name: .long, help: ArgumentHelp("Tenant id or name.", valueName: "tenant")) var tenant: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Assigns.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let change = try await client.send(Endpoints.assignPlan, path: .init(tenant: tenant), body: PlanAssignment(plan: plan))
        context.output(try Renderer(format: global.output).render(change) { PolicyText.change(change) })
    }
}

/// `appctl flag`: feature flags, evaluated per project in OpenFeature's vocabulary.
public struct FlagCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "flag", abstract: "List feature flags for a project; turn one on or off for a tenant, department or project.",
        subcommands: [FlagListCommand.self, FlagSetCommand.self, FlagClearCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl flag list [--project P]`.
public struct FlagListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Every flag evaluated for a project: value, variant, reason and the targeting that decided it.")
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let flags = try await client.send(Endpoints.listProjectFlags, path: .init(project: project))
        context.output(try Renderer(format: global.output).render(flags) {
            let table = TextTable(headers: ["FLAG", "VALUE", "VARIANT", "REASON", "TARGETING"], rows: flags.flags.map {
                [$0.flagKey, $0.value ? "true" : "false", $0.variant, $0.reason.rawValue, $0.targeting]
            }).render()
            return [table, PolicyText.stamp(flags.snapshot)].joined(separator: "\n")
        })
    }
}

/// `appctl flag set KEY on|off (--tenant T | --department T/D | --project P)`.
public struct FlagSetCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Turn a flag on or off for a tenant, department or project (a new policy snapshot).")
    @Argument(help: "Flag key (connect.ssh).") var key: String
    @Argument(help: "on or off (true or false).") var state: String
    @OptionGroup var target: PolicyTargetOptions
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses anything but on/off/true/false before any request.
    public func validate() throws {
        guard (try? PolicyValue.parse(state, as: .flag)) != nil else { throw ValidationError("The state is on or off, not \"\(state)\".") }
    }

    /// Sets.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let value = try PolicyValue.parse(state, as: .flag)
        let change = try await client.send(Endpoints.setFlag, path: .init(flag: key), body: try target.request(value))
        context.output(try Renderer(format: global.output).render(change) { PolicyText.change(change) })
    }
}

/// `appctl flag clear KEY (--tenant T | --department T/D | --project P)`.
public struct FlagClearCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "clear", abstract: "Remove a flag override, so the level below decides again (a new policy snapshot).")
    @Argument(help: "Flag key.") var key: String
    @OptionGroup var target: PolicyTargetOptions
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Clears.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let change = try await client.send(Endpoints.setFlag, path: .init(flag: key), body: try target.request(nil))
        context.output(try Renderer(format: global.output).render(change) { PolicyText.change(change) })
    }
}

import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl billing budget set|list|remove`: monthly budgets of a tenant or a project.
public struct BillingBudgetCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "budget", abstract: "Set, list and remove monthly budgets (thresholds notify; at 100 % policy decides).",
        subcommands: [BudgetSetCommand.self, BudgetListCommand.self, BudgetRemoveCommand.self])
    /// Creates the command.
    public init() {}
}

/// Exactly one of `--tenant T` and `--project P`.
struct BudgetTargetOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("The tenant's own budget: tenant id or name.", valueName: "tenant")) var tenant: String?
    @Option(name: .long, help: ArgumentHelp("A project's budget: tenant/project or its id.", valueName: "project")) var project: String?

    func validate() throws {
        guard (tenant == nil) != (project == nil) else { throw ValidationError("Give exactly one of --tenant and --project.") }
        if let project { _ = try ProjectOption.checked(project) }
    }
}

/// `appctl billing budget set (--tenant T | --project P) --limit 250.00 [--thresholds 50,80,100]`.
public struct BudgetSetCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "set", abstract: "Create or replace a budget.")
    @OptionGroup var target: BudgetTargetOptions
    @Option(name: .long, help: ArgumentHelp("The monthly limit in the price book's currency (250.00).", valueName: "amount")) var limit: String
    @Option(name: .long, help: ArgumentHelp("Ascending percents that notify when crossed (default 50,80,100).", valueName: "list"))
    var thresholds: String?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses a malformed limit or threshold list before any request.
    public func validate() throws {
        guard MoneyText.isPositiveDecimal(limit) else { throw ValidationError("--limit is a positive decimal (250.00), not \"\(limit)\".") }
        _ = try parsedThresholds()
    }

    /// Sets.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let body = BudgetRequest(limit: limit, thresholds: try parsedThresholds())
        let status: BudgetStatus
        if let project = target.project {
            status = try await client.send(Endpoints.setProjectBudget, path: .init(project: try ProjectOption.checked(project)), body: body)
        } else {
            status = try await client.send(Endpoints.setTenantBudget, path: .init(tenant: target.tenant ?? ""), body: body)
        }
        context.output(try Renderer(format: global.output).render(status) { BudgetListCommand.table([status]) })
    }

    func parsedThresholds() throws -> [Int]? {
        guard let thresholds else { return nil }
        let values = thresholds.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--thresholds is a comma-separated list of percents (50,80,100), not \"\(thresholds)\".")
        }
        return values.compactMap { $0 }
    }
}

/// `appctl billing budget list --tenant T`.
public struct BudgetListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "list", abstract: "A tenant's budgets and its projects', with this month's spending.")
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let budgets = try await client.send(Endpoints.listBudgets, path: .init(tenant: tenant.tenant))
        context.output(try Renderer(format: global.output).render(budgets) { Self.table(budgets) })
    }

    static func table(_ budgets: [BudgetStatus]) -> String {
        TextTable(headers: ["SCOPE", "TARGET", "PERIOD", "LIMIT", "SPENT", "PERCENT", "CROSSED", "EXHAUSTED"], rows: budgets.map {
            [$0.budget.scope.rawValue, $0.budget.target, $0.period.description, $0.budget.limit.display + " " + $0.budget.limit.currency,
             $0.spent.display, "\($0.percent)%", $0.crossed.map(String.init).joined(separator: ","), $0.exhaustedAt?.description ?? ""]
        }).render()
    }
}

/// `appctl billing budget remove (--tenant T | --project P)`.
public struct BudgetRemoveCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a budget.")
    @OptionGroup var target: BudgetTargetOptions
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Removes.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        if let project = target.project {
            _ = try await client.send(Endpoints.removeProjectBudget, path: .init(project: try ProjectOption.checked(project)))
            context.output("Removed the budget of project \(project).")
        } else {
            _ = try await client.send(Endpoints.removeTenantBudget, path: .init(tenant: target.tenant ?? ""))
            context.output("Removed the budget of tenant \(target.tenant ?? "").")
        }
    }
}

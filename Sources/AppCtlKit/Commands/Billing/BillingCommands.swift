import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl billing`: balances, statements, credits, budgets and journal entries.
public struct BillingCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "billing", abstract: "Balances, monthly statements, promotional credit, budgets and journal entries.",
        subcommands: [BillingBalanceCommand.self, BillingStatementCommand.self, BillingCreditCommand.self, BillingBudgetCommand.self,
                      BillingEntriesCommand.self])
    /// Creates the command.
    public init() {}
}

/// `--tenant T` of the tenant-wide billing commands.
struct TenantOption: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("Tenant id or name.", valueName: "tenant")) var tenant: String
}

/// `appctl billing balance --tenant T`.
public struct BillingBalanceCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "balance", abstract: "A tenant's account balances, stamped with the rollup's as-of time (and whether it is stale).")
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Reads.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let report = try await client.send(Endpoints.getBillingBalance, query: TenantQuery(tenant: tenant.tenant))
        context.output(try Renderer(format: global.output).render(report) {
            let rows = report.accounts.map { [$0.account.rawValue, $0.kind.rawValue, $0.balance.display + " " + $0.balance.currency] }
            return [TextTable(headers: ["ACCOUNT", "KIND", "BALANCE"], rows: rows).render(),
                    "available: \(report.available.display) \(report.available.currency)",
                    "as of \(report.asOf) (through entry \(report.throughSeq), \(report.ageSeconds) s old\(report.stale ? ", STALE" : ""))"]
                .joined(separator: "\n")
        })
    }
}

/// `appctl billing statement --tenant T --period YYYY-MM [--close] [--output csv]`. Closing is
/// a flag of the same command rather than a subcommand: ArgumentParser gives a parent's
/// `--tenant` to the parent, so `statement close --tenant …` could not read it.
public struct BillingStatementCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "statement", abstract: "A tenant's monthly statement, a line per project, unit and app (table, JSON, YAML or CSV).",
        discussion: """
            Open statements are computed on each read; --close (platform admins) closes an ended month first: the \
            statement is stored with its SHA-256 digest, never changes again, and statement.closed is announced. Late \
            usage of a closed month appears as adjustment lines of the open one. --output csv writes the bytes the \
            API's ?format=csv answers.
            """)
    @Option(name: .long, help: ArgumentHelp("Tenant id or name.", valueName: "tenant")) var tenant: String
    @Option(name: .long, help: ArgumentHelp("The month, YYYY-MM (UTC).", valueName: "period")) var period: String
    @Flag(name: .long, help: "Close the statement of this ended month first (idempotent).") var close = false
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses a period that is not a month before any request.
    public func validate() throws {
        guard (try? BillingPeriod(period)) != nil else { throw ValidationError("--period is a month written YYYY-MM, not \"\(period)\".") }
    }

    /// Reads (or closes); CSV is written by the same renderer the API's `?format=csv` uses.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let path = StatementPath(tenant: tenant, period: period)
        let document = close ? try await client.send(Endpoints.closeStatement, path: path)
            : try await client.send(Endpoints.getStatement, path: path, query: StatementQuery())
        if global.output == .csv { return context.output(StatementCSV.render(document).trimmingCharacters(in: .newlines)) }
        context.output(try Renderer(format: global.output).render(document) { BillingText.statement(document) })
    }
}

/// `appctl billing credit grant --tenant T --amount 50.00 --reason TEXT [--id KEY]`.
public struct BillingCreditCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "credit", abstract: "Grant promotional credit (platform admins).", subcommands: [BillingCreditGrantCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl billing credit grant`.
public struct BillingCreditGrantCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Grant a tenant promotional credit; charges use it before the tenant's own balance.")
    @OptionGroup var tenant: TenantOption
    @Option(name: .long, help: ArgumentHelp("The amount in the price book's currency (50.00).", valueName: "amount")) var amount: String
    @Option(name: .long, help: ArgumentHelp("Why (kept on the entry and in the audit log).", valueName: "text")) var reason: String
    @Option(name: .long, help: ArgumentHelp("Idempotency key: a retried grant with the same id posts once (default: a new one).",
                                            valueName: "key"))
    var id: String?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses an amount that is not a positive decimal before any request.
    public func validate() throws {
        guard MoneyText.isPositiveDecimal(amount) else { throw ValidationError("--amount is a positive decimal (50.00), not \"\(amount)\".") }
    }

    /// Grants.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let entry = try await client.send(Endpoints.grantCredit, body: CreditGrantRequest(id: id ?? ULID().description, tenant: tenant.tenant,
                                                                                          amount: amount, reason: reason))
        context.output(try Renderer(format: global.output).render(entry) { BillingText.entry(entry) })
    }
}

/// `appctl billing entries --tenant T [--limit N]`.
public struct BillingEntriesCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "entries", abstract: "A tenant's journal entries with their postings, newest first.")
    @OptionGroup var tenant: TenantOption
    @Option(name: .long, help: "At most this many entries (1–1000).") var limit: Int = 100
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses a limit out of range before any request.
    public func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit is 1–1000, not \(limit).") }
    }

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let entries = try await client.send(Endpoints.listLedgerEntries, query: LedgerEntriesQuery(tenant: tenant.tenant, limit: limit))
        context.output(try Renderer(format: global.output).render(entries) { entries.map(BillingText.entry).joined(separator: "\n\n") })
    }
}

/// How billing documents read in a terminal.
enum BillingText {
    static func statement(_ statement: Statement) -> String {
        let rows = statement.lines.map { line in
            [line.project, line.unit, line.app, line.displayQuantity, line.amount.display, line.adjustmentFor.map { "adjusts \($0)" } ?? ""]
        }
        var text = ["statement \(statement.tenant) \(statement.period) (\(statement.status.rawValue))",
                    TextTable(headers: ["PROJECT", "UNIT", "APP", "QUANTITY", "AMOUNT", "NOTE"], rows: rows).render(),
                    "credit applied: \(statement.creditApplied.display) \(statement.creditApplied.currency)",
                    "total: \(statement.total.display) \(statement.total.currency)"]
        if let digest = statement.digest { text.append("digest: \(digest)") }
        return text.joined(separator: "\n")
    }

    static func entry(_ entry: JournalEntry) -> String {
        let rows = entry.postings.map { [$0.account.rawValue, $0.amount > 0 ? String($0.amount) : "", $0.amount < 0 ? String(-$0.amount) : "", $0.currency] }
        return ["#\(entry.seq) \(entry.id) \(entry.kind.rawValue) \(entry.postedAt) \(entry.reference)\(entry.memo.map { " — \($0)" } ?? "")",
                TextTable(headers: ["ACCOUNT", "DEBIT", "CREDIT", "CURRENCY"], rows: rows).render()].joined(separator: "\n")
    }
}

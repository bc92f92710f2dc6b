import HTTPTypes
import PlatformContracts

/// Balances, statements, credits, budgets and the ledger. Money is tenant-wide: a
/// project-bound key reaches none of it (404 as for any tenant out of reach), except its own
/// project's budget. Reads need `billing:read`; budgets `billing:budget:write` (tenant and
/// project admins); granting credit and closing a statement move money or freeze a document,
/// so their scopes are platform admins' only, as is the whole-ledger check.
extension Endpoints {
    public static let getBillingBalance = Endpoint<NoPath, TenantQuery, NoBody, BalanceReport>(
        .getBillingBalance, in: .billing, .get, "/v1/billing/balance", scope: "billing:read",
        summary: "A tenant's account balances from the rollup, stamped with its as-of time, age and whether it is stale.")
    public static let getStatement = Endpoint<StatementPath, StatementQuery, NoBody, Statement>(
        .getStatement, in: .billing, .get, "/v1/billing/statements/\(.tenant)/\(.period)", scope: "billing:read",
        summary: "A tenant's monthly statement, a line per project, unit and app (computed while open, stored once closed); `format=csv` for CSV.")
    public static let closeStatement = Endpoint<StatementPath, NoQuery, NoBody, Statement>(
        .closeStatement, in: .billing, .post, "/v1/billing/statements/\(.tenant)/\(.period)/close", scope: "billing:statement:close",
        summary: "Close a tenant's statement of an ended period (idempotent): stored with its digest and announced as statement.closed.")
    public static let grantCredit = Endpoint<NoPath, NoQuery, CreditGrantRequest, JournalEntry>(
        .grantCredit, in: .billing, .post, "/v1/billing/credits", scope: "billing:credit:grant",
        summary: "Grant a tenant promotional credit (idempotent by id); answers the journal entry, audited.")
    public static let listBudgets = Endpoint<TenantPath, NoQuery, NoBody, [BudgetStatus]>(
        .listBudgets, in: .billing, .get, "/v1/tenants/\(.tenant)/budgets", scope: "billing:read",
        summary: "A tenant's budgets (its own and its projects') with this month's spending, percent and crossed thresholds.")
    public static let setTenantBudget = Endpoint<TenantPath, NoQuery, BudgetRequest, BudgetStatus>(
        .setTenantBudget, in: .billing, .put, "/v1/tenants/\(.tenant)/budget", scope: "billing:budget:write",
        summary: "Create or replace a tenant's monthly budget and its notification thresholds; audited.")
    public static let removeTenantBudget = Endpoint<TenantPath, NoQuery, NoBody, NoContent>(
        .removeTenantBudget, in: .billing, .delete, "/v1/tenants/\(.tenant)/budget", scope: "billing:budget:write",
        summary: "Remove a tenant's budget; audited.")
    public static let setProjectBudget = Endpoint<ProjectPath, NoQuery, BudgetRequest, BudgetStatus>(
        .setProjectBudget, in: .billing, .put, "/v1/projects/\(.project)/budget", scope: "billing:budget:write",
        summary: "Create or replace a project's monthly budget and its notification thresholds; audited.")
    public static let removeProjectBudget = Endpoint<ProjectPath, NoQuery, NoBody, NoContent>(
        .removeProjectBudget, in: .billing, .delete, "/v1/projects/\(.project)/budget", scope: "billing:budget:write",
        summary: "Remove a project's budget; audited.")
    public static let listLedgerEntries = Endpoint<NoPath, LedgerEntriesQuery, NoBody, [JournalEntry]>(
        .listLedgerEntries, in: .billing, .get, "/v1/billing/entries", scope: "billing:read",
        summary: "A tenant's journal entries with their postings, newest first.")
    public static let verifyLedger = Endpoint<NoPath, NoQuery, NoBody, LedgerVerification>(
        .verifyLedger, in: .billing, .get, "/v1/ledger/verify", scope: "billing:ledger:verify",
        summary: "Check every ledger invariant over the whole ledger (balanced entries and total, charges posted once, rollups equal postings).")
}

/// `/v1/billing/statements/{tenant}/{period}`.
public struct StatementPath: EndpointPath {
    public static let parameters: [PathParameter] = [.tenant, .period]
    /// Tenant id or name.
    public var tenant: String
    /// `YYYY-MM`.
    public var period: String
    /// Creates the value.
    public init(tenant: String, period: String) { self.tenant = tenant; self.period = period }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) {
        tenant = try value(.tenant); period = try value(.period)
    }
    public func value(of parameter: PathParameter) -> String { parameter == .tenant ? tenant : period }
}

/// `?tenant=` (required) of a tenant-wide billing read.
public struct TenantQuery: EndpointQuery {
    static let tenant = QueryField("tenant", .string, required: true, "Tenant id or name.")
    public static let fields = [tenant]
    /// Tenant id or name.
    public var tenant: String
    /// Creates the query.
    public init(tenant: String) { self.tenant = tenant }
    public init(reading value: (String) -> String?) throws(PlatformError) { tenant = try Self.tenant.text(value) }
    public var items: [(name: String, value: String)] { [("tenant", tenant)] }
}

/// `?format=` of a statement.
public struct StatementQuery: EndpointQuery {
    /// How the statement is written.
    public enum Format: String, Sendable, CaseIterable {
        case json, csv
    }
    static let format = QueryField("format", .string, "json (default) or csv (RFC 4180, the same bytes as `appctl billing statement --output csv`).")
    public static let fields = [format]
    /// The format.
    public var format: Format
    /// Creates the query.
    public init(format: Format = .json) { self.format = format }
    public init(reading value: (String) -> String?) throws(PlatformError) {
        let text = value("format") ?? Format.json.rawValue
        guard let format = Format(rawValue: text) else {
            throw PlatformError(.httpParameterInvalid, "format is json or csv; got \"\(text.prefix(40))\"", details: ["parameter": "format"])
        }
        self.format = format
    }
    public var items: [(name: String, value: String)] { format == .json ? [] : [("format", format.rawValue)] }
}

/// `?tenant=&limit=` of the journal entries.
public struct LedgerEntriesQuery: EndpointQuery {
    static let tenant = QueryField("tenant", .string, required: true, "Tenant id or name.")
    static let limit = QueryField("limit", .integer(1...1000), "At most this many entries (default 100).")
    public static let fields = [tenant, limit]
    /// Tenant id or name.
    public var tenant: String
    /// Page size.
    public var limit: Int
    /// Creates the query.
    public init(tenant: String, limit: Int = 100) { self.tenant = tenant; self.limit = limit }
    public init(reading value: (String) -> String?) throws(PlatformError) {
        tenant = try Self.tenant.text(value)
        limit = Int(try Self.limit.number(value) ?? 100)
    }
    public var items: [(name: String, value: String)] { [("tenant", tenant)] + (limit == 100 ? [] : [("limit", String(limit))]) }
}

extension QueryField {
    /// The value of a required text field, or ``ErrorCode/httpParameterInvalid`` naming it.
    func text(_ value: (String) -> String?) throws(PlatformError) -> String {
        guard let text = value(name), !text.isEmpty else {
            throw PlatformError(.httpParameterInvalid, "the query parameter \(name) is required", details: ["parameter": name])
        }
        return text
    }
}

/// `POST /v1/billing/credits`. Amounts are decimal text (`50.00`), converted exactly to the
/// price book's integer asset scale, never through floating point.
public struct CreditGrantRequest: Codable, Sendable, Hashable {
    /// Idempotency key: a retried grant with the same id posts once (default: a new ULID).
    public var id: String?
    /// Tenant id or name.
    public var tenant: String
    /// The amount in the price book's currency, as a decimal (`50.00`), greater than zero.
    public var amount: String
    /// Why (kept on the entry and in the audit record).
    public var reason: String

    /// Creates the body.
    public init(id: String? = nil, tenant: String, amount: String, reason: String) {
        self.id = id
        self.tenant = tenant
        self.amount = amount
        self.reason = reason
    }
}

/// A budget's limit and thresholds (`PUT …/budget`).
public struct BudgetRequest: Codable, Sendable, Hashable {
    /// The monthly limit in the price book's currency, as a decimal (`250.00`), greater than zero.
    public var limit: String
    /// Ascending percents, 1–100 each (default `[50, 80, 100]`).
    public var thresholds: [Int]?

    /// Creates the body.
    public init(limit: String, thresholds: [Int]? = nil) {
        self.limit = limit
        self.thresholds = thresholds
    }
}

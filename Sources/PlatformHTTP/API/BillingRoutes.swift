import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformAPI
import PlatformContracts

/// Handlers of the billing endpoints over the ``BillingLedger``. A tenant a route names is
/// resolved within the caller's reach, tenant-wide: a project-bound key reaches no tenant's
/// money (404, as IAM answers for any tenant out of reach). Amounts arrive as decimal text
/// and are converted exactly to the price book's asset scale; the book (currency and scale)
/// is the policy snapshot's, the same one rating reads.
extension V1Routes {
    /// Thresholds of a budget set without any.
    static let defaultBudgetThresholds = [50, 80, 100]

    func getBillingBalance(_ input: EndpointInput<NoPath, TenantQuery, NoBody>, _ context: PlatformRequestContext,
                           _ caller: Caller) async throws -> Reply<BalanceReport> {
        let tenant = try await billingTenant(input.query.tenant, caller)
        return .value(try await requireBilling().balance(tenant: tenant.id))
    }

    func getStatement(_ input: EndpointInput<StatementPath, StatementQuery, NoBody>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<Statement> {
        let period = try BillingPeriod(input.path.period)
        let tenant = try await billingTenant(input.path.tenant, caller)
        let statement = try await requireBilling().statement(tenant: tenant.id, period: period)
        switch input.query.format {
        case .json: return .value(statement)
        case .csv:
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"statement-\(tenant.name)-\(period).csv\""
            return .response(Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: StatementCSV.render(statement)))))
        }
    }

    func closeStatement(_ input: EndpointInput<StatementPath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                        _ caller: Caller) async throws -> Reply<Statement> {
        let period = try BillingPeriod(input.path.period)
        let tenant = try await billingTenant(input.path.tenant, caller)
        return .value(try await requireBilling().closeStatement(tenant: tenant.id, period: period, by: caller.principalId))
    }

    func grantCredit(_ input: EndpointInput<NoPath, NoQuery, CreditGrantRequest>, _ context: PlatformRequestContext,
                     _ caller: Caller) async throws -> Reply<JournalEntry> {
        let body = input.body
        let book = try await priceBook()
        let amount = try MoneyText.amount(body.amount, scale: book.assetScale)
        guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PlatformError(.httpBadRequest, "a credit grant says why (reason)")
        }
        let tenant = try await billingTenant(body.tenant, caller)
        let grant = CreditGrant(id: body.id ?? ULID().description, tenant: tenant.id,
                                amount: Money(currency: book.currency, amount: amount, scale: book.assetScale), reason: body.reason)
        return .value(try await requireBilling().grantCredit(grant, by: caller.principalId))
    }

    func listBudgets(_ input: EndpointInput<TenantPath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                     _ caller: Caller) async throws -> Reply<[BudgetStatus]> {
        let tenant = try await billingTenant(input.path.tenant, caller)
        return .value(try await requireBilling().budgets(tenant: tenant.id))
    }

    func setTenantBudget(_ input: EndpointInput<TenantPath, NoQuery, BudgetRequest>, _ context: PlatformRequestContext,
                         _ caller: Caller) async throws -> Reply<BudgetStatus> {
        let tenant = try await billingTenant(input.path.tenant, caller)
        return .value(try await setBudget(.tenant, target: tenant.id, tenant: tenant.id, input.body, caller))
    }

    func removeTenantBudget(_ input: EndpointInput<TenantPath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                            _ caller: Caller) async throws -> Reply<NoContent> {
        let tenant = try await billingTenant(input.path.tenant, caller)
        try await requireBilling().removeBudget(scope: .tenant, target: tenant.id, by: caller.principalId)
        return .value(NoContent())
    }

    func setProjectBudget(_ input: OfProject<BudgetRequest>, _ context: PlatformRequestContext,
                          _ caller: Caller) async throws -> Reply<BudgetStatus> {
        let project = try context.requireProject()
        return .value(try await setBudget(.project, target: project.id, tenant: project.tenantId, input.body, caller))
    }

    func removeProjectBudget(_ input: OfProject<NoBody>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<NoContent> {
        let project = try context.requireProject()
        try await requireBilling().removeBudget(scope: .project, target: project.id, by: caller.principalId)
        return .value(NoContent())
    }

    func listLedgerEntries(_ input: EndpointInput<NoPath, LedgerEntriesQuery, NoBody>, _ context: PlatformRequestContext,
                           _ caller: Caller) async throws -> Reply<[JournalEntry]> {
        let tenant = try await billingTenant(input.query.tenant, caller)
        return .value(try await requireBilling().entries(tenant: tenant.id, limit: input.query.limit))
    }

    /// Always 200 with the checks: a failed check is a finding to read, not a failed request
    /// (`appctl ledger verify` exits non-zero on it).
    func verifyLedger(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<LedgerVerification> {
        .value(try await requireBilling().verify())
    }

    /// Validates the limit and thresholds, then creates or replaces the budget.
    private func setBudget(_ scope: BudgetScope, target: String, tenant: String, _ body: BudgetRequest,
                           _ caller: Caller) async throws -> BudgetStatus {
        let book = try await priceBook()
        let limit = try MoneyText.amount(body.limit, scale: book.assetScale)
        let thresholds = body.thresholds ?? Self.defaultBudgetThresholds
        guard !thresholds.isEmpty, thresholds.allSatisfy({ (1...100).contains($0) }), thresholds == Array(Set(thresholds)).sorted() else {
            throw PlatformError(.httpBadRequest, "thresholds are ascending percents 1–100 without repeats, not \(thresholds)")
        }
        return try await requireBilling().setBudget(scope: scope, target: target, tenant: tenant, limit: limit, thresholds: thresholds,
                                                    by: caller.principalId)
    }

    /// The price book of the current policy snapshot (currency and asset scale of amounts).
    private func priceBook() async throws -> PriceBook {
        guard let book = await policy.read().snapshot.priceBook else {
            throw PlatformError(.billingPriceMissing, "the policy snapshot carries no price book")
        }
        return book
    }

    /// A tenant (id or name) within the caller's reach, tenant-wide: a project-bound key
    /// reaches no tenant's money, so it is 404 like any tenant out of reach.
    func billingTenant(_ reference: String, _ caller: Caller) async throws -> Tenant {
        let id = ULID.canonical(reference)?.description
        guard caller.projectId == nil,
              let tenant = try await identity.tenants(visibleTo: caller).first(where: { $0.id == id || $0.name == reference }) else {
            throw PlatformError(.iamNotFound, "no tenant \(reference)")
        }
        return tenant
    }

    /// The billing service, or a 500 on a server assembled without one (route tests that do
    /// not exercise billing).
    func requireBilling() throws(PlatformError) -> any BillingLedger {
        guard let billing else { throw PlatformError(.internalError, "this server has no billing ledger") }
        return billing
    }
}

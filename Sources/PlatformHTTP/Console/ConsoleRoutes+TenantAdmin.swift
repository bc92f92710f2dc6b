import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

extension ConsoleTemplate {
    /// Tenants and projects, and the create-project form.
    static let adminProjects = ConsoleTemplate("admin-projects")
    /// Service accounts and API keys: create, rotate, revoke.
    static let adminKeys = ConsoleTemplate("admin-keys")
    /// The answer to a create or rotate: the new key's secret, shown this once.
    static let adminIssued = ConsoleTemplate("admin-issued")
    /// Policies (quotas) per project and budgets with this month's spending.
    static let adminQuotas = ConsoleTemplate("admin-quotas")
    /// Audit search with every filter of the audit read model.
    static let adminAudit = ConsoleTemplate("admin-audit")
}

extension ConsoleRoutes {
    /// The tenant admin's pages under `/console/admin/`: projects, service accounts and keys,
    /// quotas and budgets, audit search. Every read and action is an in-process `/v1` call as
    /// the session's caller, so a page shows what the API lets that key see, and an action the
    /// key may not take fails with the API's status and code (403 `iam.forbidden`, 404
    /// `iam.not_found` for another tenant's things). The pages take `?tenant=ID` to narrow
    /// them to one tenant.
    func registerTenantAdminPages(on pages: ConsolePages) {
        pages.get("admin/projects") { page in try await AdminProjectsPage.show(page) }
        pages.post("admin/projects") { page in try await AdminProjectsPage.create(page) }

        pages.get("admin/keys") { page in try await AdminKeysPage.show(page) }
        pages.post("admin/keys") { page in try await AdminKeysPage.createKey(page) }
        pages.post("admin/keys/:key/rotate") { page in try await AdminKeysPage.rotate(page) }
        pages.post("admin/keys/:key/revoke") { page in try await AdminKeysPage.revoke(page) }
        pages.post("admin/accounts") { page in try await AdminKeysPage.createAccount(page) }
        pages.post("admin/accounts/:account/delete") { page in try await AdminKeysPage.deleteAccount(page) }

        pages.get("admin/quotas") { page in try await AdminQuotasPage.show(page) }
        pages.post("admin/budgets") { page in try await AdminQuotasPage.setBudget(page) }
        pages.post("admin/budgets/remove") { page in try await AdminQuotasPage.removeBudget(page) }

        pages.get("admin/audit") { page in try await AdminAuditPage.show(page) }
    }
}

import Foundation
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `/console/admin/quotas`: per project every resolved policy (the quotas first) with where
/// its value comes from and, where the API reports it, the current use; and the tenant's
/// budgets (its own and its projects') with this month's spending. Budgets are set and
/// removed with `billing:budget:write` (`Endpoints.setTenantBudget`, `setProjectBudget`, …).
enum AdminQuotasPage {
    static func show(_ page: ConsoleRequest) async throws -> Response {
        let reach = try await AdminReach.read(page)
        var policyRows: [[String: Any]] = []
        var policyProblems: [String] = []
        for (tenant, project) in reach.projects {
            let policies: ProjectPolicies
            do {
                policies = try await page.api.send(Endpoints.listProjectPolicies, path: .init(project: project.id))
            } catch where AdminText.isRefusal(error) {
                policyProblems.append("\(tenant.name)/\(project.name): \((error as? PlatformClientError)?.message ?? "not readable")")
                continue
            }
            // Current use, from the project's instances: the live ones and the GPUs they hold.
            let live = try? await page.api.send(Endpoints.listInstances, path: .init(project: project.id), query: InstancesQuery(state: .live))
            let ordered = policies.policies.sorted { ($0.key.hasPrefix("quota.") ? 0 : 1, $0.key) < ($1.key.hasPrefix("quota.") ? 0 : 1, $1.key) }
            for policy in ordered {
                var use = ""
                if let live, let used = [
                    "quota.concurrent_instances": (live.count, "live"),
                    "quota.gpus": (live.reduce(0) { $0 + $1.gpuCount }, "GPUs held"),
                ][policy.key] {
                    use = "\(used.0) \(used.1)"
                    if case .integer(let limit) = policy.value, limit > 0 { use += " (\(used.0 * 100 / Int(limit))%)" }
                }
                policyRows.append([
                    "project": "\(tenant.name)/\(project.name)", "projectId": project.id, "key": policy.key,
                    "value": AdminText.policyValue(policy.value), "level": policy.level.rawValue, "source": policy.source,
                    "use": use, "hasUse": !use.isEmpty, "quota": policy.key.hasPrefix("quota."),
                    "stale": policies.snapshot.stale,
                ])
            }
        }
        var budgetRows: [[String: Any]] = []
        var budgetProblems: [String] = []
        for entry in reach.tenants {
            do {
                let budgets = try await page.api.send(Endpoints.listBudgets, path: .init(tenant: entry.tenant.id))
                for status in budgets {
                    let budget = status.budget
                    let target = budget.scope == .tenant ? entry.tenant.name : (reach.projectPath(budget.target) ?? budget.target)
                    budgetRows.append([
                        "scope": budget.scope.rawValue, "target": target, "targetId": budget.target,
                        "owner": "\(budget.scope.rawValue):\(budget.target)", "tenant": entry.tenant.name,
                        "period": status.period.description, "limit": "\(budget.limit.display) \(budget.limit.currency)",
                        "spent": "\(status.spent.display) \(status.spent.currency)", "percent": status.percent,
                        "meter": min(status.percent, 100),
                        "thresholds": budget.thresholds.map(String.init).joined(separator: ", "),
                        "crossed": status.crossed.isEmpty ? "none" : status.crossed.map { "\($0)%" }.joined(separator: ", "),
                        "exhausted": status.exhaustedAt != nil, "rowId": "\(budget.scope.rawValue)-\(budget.target)",
                        "canWrite": page.allows("billing:budget:write"),
                    ])
                }
            } catch where AdminText.isRefusal(error) {
                budgetProblems.append("\(entry.tenant.name): \((error as? PlatformClientError)?.message ?? "not readable")")
            }
        }
        var targets: [[String: Any]] = []
        if page.caller.projectId == nil {
            targets += reach.tenants.map { ["value": "tenant:\($0.tenant.id)", "label": "\($0.tenant.name) (whole tenant)"] }
        }
        targets += reach.projects.map { ["value": "project:\($0.project.id)", "label": "\($0.tenant.name)/\($0.project.name)"] }
        var model = reach.filterModel()
        model["filterAction"] = "/console/admin/quotas"
        model["policies"] = policyRows
        model["hasPolicies"] = !policyRows.isEmpty
        model["policyProblems"] = policyProblems.map { ["text": $0] }
        model["budgets"] = budgetRows
        model["hasBudgets"] = !budgetRows.isEmpty
        model["budgetProblems"] = budgetProblems.map { ["text": $0] }
        model["targets"] = targets
        model["canWriteBudget"] = page.allows("billing:budget:write") && !targets.isEmpty
        return try page.render(.adminQuotas, title: "Quotas and budgets", model)
    }

    /// `POST admin/budgets`: creates or replaces a tenant's or project's monthly budget.
    static func setBudget(_ page: ConsoleRequest) async throws -> Response {
        guard let target = page.form.text("target"), let limit = page.form.text("limit") else {
            throw PlatformError(.iamInvalidRequest, "a budget needs a target and a monthly limit")
        }
        var thresholds: [Int]?
        if let text = page.form.text("thresholds") {
            let parts = text.split(whereSeparator: { $0 == "," || $0 == " " })
            let numbers = parts.compactMap { Int($0) }
            guard numbers.count == parts.count else {
                throw PlatformError(.iamInvalidRequest, "thresholds are whole percents separated by commas (50, 80, 100)")
            }
            thresholds = numbers
        }
        let request = BudgetRequest(limit: limit, thresholds: thresholds)
        let status: BudgetStatus
        if target.hasPrefix("tenant:") {
            status = try await page.api.send(Endpoints.setTenantBudget, path: .init(tenant: String(target.dropFirst(7))), body: request)
        } else if target.hasPrefix("project:") {
            status = try await page.api.send(Endpoints.setProjectBudget, path: .init(project: String(target.dropFirst(8))), body: request)
        } else {
            throw PlatformError(.iamInvalidRequest, "choose the tenant or project the budget is for")
        }
        return page.redirect(to: "/console/admin/quotas",
                             notice: "Budget set: \(status.budget.limit.display) \(status.budget.limit.currency) a month for \(status.budget.scope.rawValue) \(status.budget.target).")
    }

    /// `POST admin/budgets/remove`.
    static func removeBudget(_ page: ConsoleRequest) async throws -> Response {
        guard let target = page.form.text("target") else { throw PlatformError(.iamInvalidRequest, "which budget?") }
        if target.hasPrefix("tenant:") {
            _ = try await page.api.send(Endpoints.removeTenantBudget, path: .init(tenant: String(target.dropFirst(7))))
        } else {
            _ = try await page.api.send(Endpoints.removeProjectBudget, path: .init(project: String(target.dropFirst(8))))
        }
        return page.redirect(to: "/console/admin/quotas", notice: "Budget removed.")
    }
}

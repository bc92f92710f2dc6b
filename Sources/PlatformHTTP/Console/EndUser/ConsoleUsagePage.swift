import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `/console/usage` and `/console/projects/:project/usage`: this month's recorded usage and
/// its rated cost per project, unit and instance (`Endpoints.getUsageSummary`), with the
/// tenant's balance when the caller may read billing. A caller without `usage:read` sees why
/// instead of the tables.
enum ConsoleUsagePage {
    /// The newest instances whose metered totals a project's page reads (one call each, so
    /// the page stays within its render budget; each instance's page shows its own, and the
    /// rated table above covers every instance).
    static let meteredInstances = 10

    static func render(_ page: ConsoleRequest, project: String?) async throws -> Response {
        let reachable = try await ConsoleProjects.reachable(page)
        let projects = project.map { id in [reachable.first { $0.id == id } ?? ConsoleProjects.Entry(id: id, name: id, tenantId: "", tenantName: "")] }
            ?? reachable
        // The project page lists the project's instances first: that call decides access
        // (another tenant's project is the API's iam.not_found) and gives each instance's
        // metered totals, whether or not the server rates usage.
        // The metered totals are read while the summaries below are: one usage call per
        // instance, all at once (each is its own store read and authorisation), in list order.
        var meteredReads: Task<[(InstanceRecord, InstanceUsage?)], Never>?
        if let project {
            let instances = try await page.api.send(Endpoints.listInstances, path: .init(project: project), query: InstancesQuery(limit: meteredInstances))
            let api = page.api
            meteredReads = Task {
                await withTaskGroup(of: (Int, InstanceUsage?).self) { group in
                    for (index, instance) in instances.enumerated() {
                        group.addTask { (index, try? await api.send(Endpoints.getInstanceUsage, path: .init(project: project, instance.id))) }
                    }
                    var usages = [InstanceUsage?](repeating: nil, count: instances.count)
                    for await (index, usage) in group { usages[index] = usage }
                    return Array(zip(instances, usages))
                }
            }
        }
        var rows: [[String: Any]] = []
        var instanceRows: [[String: Any]] = []
        var problems: [String] = []
        var totals: [String: (currency: String, amount: Int64, scale: Int)] = [:]
        for entry in projects {
            let byUnit: UsageSummary?
            let byInstance: UsageSummary?
            if project != nil {
                // The page's own project: a refusal here is the page's answer (iam.not_found for another tenant's).
                let first = try await ConsoleEndUser.optional {
                    try await page.api.send(Endpoints.getUsageSummary, query: UsageSummaryQuery(project: entry.id, groupBy: .unit))
                }
                byUnit = first.value
                if let problem = first.problem { problems.append(problem) }
            } else {
                byUnit = try? await page.api.send(Endpoints.getUsageSummary, query: UsageSummaryQuery(project: entry.id, groupBy: .unit))
            }
            guard let byUnit else { continue }
            byInstance = try? await page.api.send(Endpoints.getUsageSummary, query: UsageSummaryQuery(project: entry.id, groupBy: .instance))
            for row in byUnit.rows {
                rows.append(["project": entry.path, "unit": row.unit, "quantity": row.displayQuantity, "events": row.events,
                             "amount": "\(row.amount.display) \(row.amount.currency)"])
                let key = "\(entry.path)|\(row.amount.currency)"
                let sum = totals[key] ?? (row.amount.currency, 0, row.amount.scale)
                totals[key] = (sum.currency, sum.amount + row.amount.amount, sum.scale)
            }
            if byUnit.unrated > 0 { problems.append("\(entry.path): \(byUnit.unrated) events are recorded but not rated yet.") }
            for row in byInstance?.rows ?? [] {
                var model: [String: Any] = ["project": entry.path, "instance": row.group, "unit": row.unit, "quantity": row.displayQuantity,
                                            "amount": "\(row.amount.display) \(row.amount.currency)"]
                if row.group != "-" { model["href"] = ConsoleEndUser.instancePath(entry.id, row.group) }
                instanceRows.append(model)
            }
        }
        var metered: [[String: Any]] = []
        for (instance, usage) in await meteredReads?.value ?? [] {
            for total in usage?.totals ?? [] {
                metered.append(["instance": instance.id, "app": instance.app, "href": ConsoleEndUser.instancePath(instance.projectId, instance.id),
                                "unit": total.unit, "quantity": total.quantity, "intervals": total.intervals])
            }
        }
        let projectTotals = totals.keys.sorted().map { key -> [String: Any] in
            let total = totals[key]!
            return ["project": String(key.split(separator: "|").first ?? ""), "amount": "\(Money(currency: total.currency, amount: total.amount, scale: total.scale).display) \(total.currency)"]
        }
        var balances: [[String: Any]] = []
        if page.allows("billing:read") {
            for tenant in Set(projects.map(\.tenantId)).sorted() where !tenant.isEmpty {
                if let report = try? await page.api.send(Endpoints.getBillingBalance, query: TenantQuery(tenant: tenant)) {
                    balances.append(["tenant": projects.first { $0.tenantId == tenant }?.tenantName ?? tenant,
                                     "available": "\(report.available.display) \(report.available.currency)",
                                     "asOf": ConsoleEndUser.time(report.asOf.description), "stale": report.stale])
                }
            }
        }
        let title = project.map { id in "Usage and cost of \(reachable.first { $0.id == id }?.path ?? id)" } ?? "Usage and cost"
        var model: [String: Any] = [
            "heading": title, "rows": rows, "hasRows": !rows.isEmpty, "instances": instanceRows, "hasInstances": !instanceRows.isEmpty,
            "totals": projectTotals, "hasTotals": !projectTotals.isEmpty, "problems": problems, "balances": balances,
            "hasBalances": !balances.isEmpty, "allProjects": project == nil, "metered": metered, "hasMetered": !metered.isEmpty, "meteredCount": meteredInstances,
        ]
        if let project { model["project"] = project }
        return try page.render(.userUsage, title: title, model)
    }
}

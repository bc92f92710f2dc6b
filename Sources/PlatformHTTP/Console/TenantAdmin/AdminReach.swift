import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// The tenants and projects a tenant-admin page covers, read through the API as the caller.
/// Without `?tenant=` it is every tenant the caller may list (a tenant-bound key: its own;
/// a project-bound key: its own project's tenant); with `?tenant=ID` it is that tenant only,
/// and a tenant out of the caller's reach fails the page with the API's own answer
/// (`iam.not_found`), exactly as `GET /v1/tenants/ID/projects` would.
struct AdminReach: Sendable {
    /// One tenant with the projects of it the caller reaches.
    struct TenantEntry: Sendable {
        let tenant: Tenant
        let projects: [Project]
    }

    /// The tenants in order of name, each with its projects.
    let tenants: [TenantEntry]
    /// The `?tenant=` filter, when the page was asked for one tenant.
    let filter: String?

    /// Every project covered, in tenant then project order.
    var projects: [(tenant: Tenant, project: Project)] {
        tenants.flatMap { entry in entry.projects.map { (entry.tenant, $0) } }
    }

    /// Whether `tenantId` is one of the covered tenants.
    func covers(tenant tenantId: String?) -> Bool {
        guard let tenantId else { return filter == nil }
        return tenants.contains { $0.tenant.id == tenantId }
    }

    /// The tenant's name, or its id when unknown.
    func tenantName(_ id: String?) -> String {
        guard let id else { return "platform" }
        return tenants.first { $0.tenant.id == id }?.tenant.name ?? id
    }

    /// `tenant/project` for a project id, or the id.
    func projectPath(_ id: String?) -> String? {
        guard let id else { return nil }
        for entry in tenants {
            if let project = entry.projects.first(where: { $0.id == id }) { return "\(entry.tenant.name)/\(project.name)" }
        }
        return id
    }

    /// Reads the reach of `page`'s caller, narrowed by the page's `?tenant=`.
    static func read(_ page: ConsoleRequest) async throws -> AdminReach {
        let filter = page.query.text("tenant")
        var tenants: [Tenant]
        do {
            tenants = try await page.api.send(Endpoints.listTenants)
        } catch let error as PlatformClientError where error.code == .iamForbidden {
            // A key without iam:tenant:read still reads its own tenant's projects.
            guard let tenantId = page.caller.tenantId else { return AdminReach(tenants: [], filter: filter) }
            tenants = [Tenant(id: tenantId, name: tenantId, createdAt: "")]
        }
        if let filter {
            // The API decides: a tenant out of reach answers iam.not_found, shown as the page's error.
            let projects = try await page.api.send(Endpoints.listProjects, path: .init(tenant: filter))
            let tenantId = projects.first?.tenantId ?? filter
            let tenant = tenants.first { $0.id == tenantId || $0.name == filter } ?? Tenant(id: tenantId, name: filter, createdAt: "")
            return AdminReach(tenants: [TenantEntry(tenant: tenant, projects: projects)], filter: filter)
        }
        var entries: [TenantEntry] = []
        for tenant in tenants {
            let projects = try await page.api.send(Endpoints.listProjects, path: .init(tenant: tenant.id))
            entries.append(TenantEntry(tenant: tenant, projects: projects.sorted { $0.name < $1.name }))
        }
        return AdminReach(tenants: entries.sorted { $0.tenant.name < $1.tenant.name }, filter: filter)
    }

    /// The model of the tenant filter shown on every tenant-admin page.
    func filterModel() -> [String: Any] {
        ["tenantFilter": filter ?? "", "filtered": filter != nil,
         "tenantOptions": tenants.map { ["id": $0.tenant.id, "name": $0.tenant.name] }]
    }
}

/// Small helpers the tenant-admin pages share.
enum AdminText {
    /// Whether `error` is the API refusing with one of `codes` (a read the caller may not make
    /// is left out of a page instead of failing it).
    static func isRefusal(_ error: any Error, _ codes: Set<ErrorCode> = [.iamForbidden, .iamNotFound]) -> Bool {
        guard let error = error as? PlatformClientError, let code = error.code else { return false }
        return codes.contains(code)
    }

    /// "in 29 days", "in 5 hours", "2 days ago": how far `rfc3339` is from `now`.
    static func relative(_ rfc3339: String, now: Timestamp = .now()) -> String {
        guard let time = Timestamp(rfc3339: rfc3339) else { return "" }
        let seconds = (Int64(time.millisecondsSinceEpoch) - Int64(now.millisecondsSinceEpoch)) / 1000
        let magnitude = abs(seconds)
        let text: String
        switch magnitude {
        case 86_400...: text = plural(magnitude / 86_400, "day")
        case 3600...: text = plural(magnitude / 3600, "hour")
        case 60...: text = plural(magnitude / 60, "minute")
        default: text = plural(magnitude, "second")
        }
        return seconds >= 0 ? "in \(text)" : "\(text) ago"
    }

    static func plural(_ count: Int64, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// The shortened, human form of a timestamp (`2026-12-07 08:32 UTC`).
    static func short(_ rfc3339: String) -> String {
        guard rfc3339.count >= 16 else { return rfc3339 }
        let date = rfc3339.prefix(10)
        let time = rfc3339.dropFirst(11).prefix(5)
        return "\(date) \(time) UTC"
    }

    /// A policy value as the CLI writes it (`20`, `true`, `a,b`, `H100=8`).
    static func policyValue(_ value: PolicyValue) -> String {
        switch value {
        case .integer(let number): String(number)
        case .flag(let flag): flag ? "true" : "false"
        case .list(let items): items.isEmpty ? "(none)" : items.joined(separator: ", ")
        case .integerMap(let map): map.isEmpty ? "(none)" : map.keys.sorted().map { "\($0)=\(map[$0]!)" }.joined(separator: ", ")
        }
    }

    /// A path with `?tenant=` kept when the page was filtered.
    static func path(_ base: String, tenant: String?) -> String {
        guard let tenant, let encoded = tenant.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { return base }
        return base + "?tenant=" + encoded
    }
}

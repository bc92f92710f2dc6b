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
        if let filter {
            // The API decides: a tenant out of reach answers iam.not_found, shown as the page's error.
            let projects = try await page.api.send(Endpoints.listProjects, path: .init(tenant: filter))
            let tenantId = projects.first?.tenantId ?? filter
            let known = (try? await page.api.send(Endpoints.listTenants)) ?? []
            let tenant = known.first { $0.id == tenantId || $0.name == filter } ?? Tenant(id: tenantId, name: filter, createdAt: "")
            return AdminReach(tenants: [TenantEntry(tenant: tenant, projects: projects)], filter: filter)
        }
        let entries = try await ConsoleProjects.tenants(page).map { TenantEntry(tenant: $0.tenant, projects: $0.projects) }
        return AdminReach(tenants: entries, filter: filter)
    }

    /// The model of the tenant filter shown on every tenant-admin page.
    func filterModel() -> [String: Any] {
        ["tenantFilter": filter ?? "", "filtered": filter != nil,
         "tenantOptions": tenants.map { ["id": $0.tenant.id, "name": $0.tenant.name] }]
    }
}

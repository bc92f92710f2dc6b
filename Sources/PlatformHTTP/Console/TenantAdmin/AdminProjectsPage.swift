import Foundation
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `/console/admin/projects`: the tenants and projects the caller reaches, and a form that
/// creates a project (`Endpoints.createProject`) when the caller holds `iam:project:create`.
enum AdminProjectsPage {
    static func show(_ page: ConsoleRequest) async throws -> Response {
        let reach = try await AdminReach.read(page)
        var rows: [[String: Any]] = []
        for (tenant, project) in reach.projects {
            rows.append(["tenantId": tenant.id, "tenant": tenant.name, "id": project.id, "name": project.name,
                         "created": AdminText.short(project.createdAt), "createdAt": project.createdAt])
        }
        let canCreate = page.allows("iam:project:create") && page.caller.projectId == nil && !reach.tenants.isEmpty
        var model = reach.filterModel()
        model["projects"] = rows
        model["hasProjects"] = !rows.isEmpty
        model["tenants"] = reach.tenants.map { ["id": $0.tenant.id, "name": $0.tenant.name, "count": $0.projects.count] }
        model["canCreate"] = canCreate
        model["filterAction"] = "/console/admin/projects"
        return try page.render(.adminProjects, title: "Projects", model)
    }

    /// Creates the project in the chosen tenant, then shows the list with a notice.
    static func create(_ page: ConsoleRequest) async throws -> Response {
        guard let name = page.form.text("name"), let tenant = page.form.text("tenant") else {
            throw PlatformError(.iamInvalidRequest, "a project needs a name and a tenant")
        }
        let project = try await page.api.send(Endpoints.createProject, path: .init(tenant: tenant), body: NameRequest(name: name))
        return page.redirect(to: "/console/admin/projects", notice: "Project \(project.name) created (\(project.id)).")
    }
}

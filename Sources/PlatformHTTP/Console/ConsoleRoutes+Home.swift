import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

extension ConsoleTemplate {
    /// The signed-in home: who you are and the projects you reach.
    static let home = ConsoleTemplate("home")
}

extension ConsoleRoutes {
    /// `/console/` (home) and `/console/sign-out`; `/console` redirects to `/console/`.
    func registerHome(on pages: ConsolePages) {
        // The router matches `/console` and `/console/` alike (one route: a second one traps).
        pages.get("") { page in
            if page.path == "/console" { return Self.permanentRedirect(to: "/console/") }
            let projects = try await ConsoleProjects.reachable(page)
            return try page.render(.home, title: "Home", [
                "caller": ["name": page.caller.principalName, "kind": page.caller.principalKind, "keyId": page.caller.keyId,
                           "scopes": page.caller.scopes.joined(separator: " "), "expiresAt": page.caller.expiresAt],
                "projects": projects.map { ["id": $0.id, "name": $0.name, "tenant": $0.tenantName] },
                "hasProjects": !projects.isEmpty,
            ] as [String: Any])
        }
        pages.post("sign-out") { page in try await signOut(page, cookieValue: page.cookieValue, requestID: page.requestID) }
    }

    static func permanentRedirect(to path: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = path
        return Response(status: .permanentRedirect, headers: headers)
    }
}

/// The projects a console caller reaches, through the API: every tenant it may list, each
/// tenant's projects (a project-bound key reads its own project only).
public enum ConsoleProjects {
    /// One project with its tenant's name.
    public struct Entry: Sendable {
        /// The project's id.
        public let id: String
        /// The project's name.
        public let name: String
        /// The tenant's id.
        public let tenantId: String
        /// The tenant's name.
        public let tenantName: String
        /// `tenant/project`.
        public var path: String { "\(tenantName)/\(name)" }
    }

    /// The caller's projects, sorted by tenant then project name.
    public static func reachable(_ page: ConsoleRequest) async throws -> [Entry] {
        try await tenants(page).flatMap { tenant, projects in
            projects.map { Entry(id: $0.id, name: $0.name, tenantId: tenant.id, tenantName: tenant.name) }
        }
    }

    /// Every tenant the caller reaches (sorted by name) with its projects the caller reaches
    /// (sorted by name); a tenant without projects is kept (its admin creates the first one).
    /// A key without `iam:tenant:read` reads its own tenant, or its own project, through the API.
    public static func tenants(_ page: ConsoleRequest) async throws -> [(tenant: Tenant, projects: [Project])] {
        let tenants: [Tenant]
        do {
            tenants = try await page.api.send(Endpoints.listTenants)
        } catch let error as PlatformClientError where error.code == .iamForbidden {
            // A developer's or viewer's key lists its own tenant's projects (its own project only).
            guard let tenantId = page.caller.tenantId else { return [] }
            tenants = [Tenant(id: tenantId, name: tenantId, createdAt: "")]
        }
        var result: [(tenant: Tenant, projects: [Project])] = []
        for tenant in tenants.sorted(by: { $0.name < $1.name }) {
            let projects = try await page.api.send(Endpoints.listProjects, path: .init(tenant: tenant.id))
            result.append((tenant, projects.filter { page.caller.projectId == nil || $0.id == page.caller.projectId }
                .sorted { $0.name < $1.name }))
        }
        return result
    }
}

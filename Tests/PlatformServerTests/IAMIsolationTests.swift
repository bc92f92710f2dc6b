import AuditService
import Foundation
import HTTPTypes
import PlatformContracts
import PlatformServer
import PlatformTestKit
import PlatformHTTP
import Testing

/// A key of project A against everything of project B, route by route.
@Suite("IAM isolation across tenants and projects")
struct IAMIsolationTests {
    enum Expectation: Sendable {
        /// 404: the resource is outside the key's reach; its existence does not leak.
        case notFound
        /// 403: the key lacks the route's scope whatever the resource.
        case forbidden
        /// 200, and the answer mentions none of the other project's ids.
        case listWithoutOthers
    }

    /// Every route and what a foreign key must get. A new route without a row fails the test.
    static let expectations: [String: Expectation] = [
        "GET /v1/whoami": .listWithoutOthers,
        "POST /v1/tenants": .forbidden,
        "GET /v1/tenants": .listWithoutOthers,
        "POST /v1/tenants/:tenant/projects": .forbidden,
        "GET /v1/tenants/:tenant/projects": .notFound,
        "POST /v1/projects/:project/serviceaccounts": .notFound,
        "GET /v1/projects/:project/serviceaccounts": .notFound,
        "DELETE /v1/projects/:project/serviceaccounts/:account": .notFound,
        "POST /v1/keys": .notFound,
        "GET /v1/keys": .listWithoutOthers,
        "POST /v1/keys/:key/rotate": .notFound,
        "POST /v1/keys/:key/revoke": .notFound,
        "GET /v1/audit/records": .listWithoutOthers,
        "GET /v1/audit/export": .forbidden,
    ]

    @Test("the expectation table covers every API route")
    func tableCoversRoutes() {
        #expect(Set(Self.expectations.keys) == Set(PlatformAPI.routes.map(\.description)))
    }

    @Test("a key of project A cannot read, list or change anything of project B", arguments: ServerBackend.enabled)
    func crossTenantIsolation(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, _, keyA) = try await fixture.makeProject(tenant: "alpha", project: "a1", account: "a-admin")
            let (tenantB, projectB, accountB, keyB) = try await fixture.makeProject(tenant: "beta", project: "b1", account: "b-admin")
            let (_, projectA2, accountA2, keyA2) = try await fixture.makeProject(tenant: "alpha", project: "a2", account: "a2-admin")

            // Foreign resources: another tenant's, then a sibling project's in the same tenant.
            let targets: [(tenant: String, project: Project, account: ServiceAccount, key: IssuedKey, foreign: [String])] = [
                (tenantB.id, projectB, accountB, keyB, [tenantB.id, projectB.id, accountB.id, keyB.info.id]),
                ("alpha", projectA2, accountA2, keyA2, [projectA2.id, accountA2.id, keyA2.info.id]),
            ]
            for target in targets {
                for route in PlatformAPI.routes {
                    let path = route.path
                        .replacingOccurrences(of: ":tenant", with: target.tenant)
                        .replacingOccurrences(of: ":project", with: target.project.id)
                        .replacingOccurrences(of: ":account", with: target.account.id)
                        .replacingOccurrences(of: ":key", with: target.key.info.id)
                    let body: [String: any Sendable] = [
                        "name": "intruder", "role": "viewer", "serviceAccount": target.account.id,
                        "scopes": ["apps:instance:launch"], "expiresInSeconds": 3600, "overlapSeconds": 60,
                    ]
                    let reply = try await fixture.call(route.method, path, key: keyA.key, body: route.method == .get ? nil : body)
                    let text = String(decoding: reply.body, as: UTF8.self)
                    var expected = try #require(Self.expectations[route.description])
                    // Inside its own tenant, listing the tenant's projects is allowed but filtered.
                    if route.description == "GET /v1/tenants/:tenant/projects" && target.tenant == "alpha" { expected = .listWithoutOthers }
                    switch expected {
                    case .notFound:
                        #expect(reply.status == .notFound, "\(route) → \(reply.status): \(text)")
                    case .forbidden:
                        #expect(reply.status == .forbidden, "\(route) → \(reply.status): \(text)")
                    case .listWithoutOthers:
                        #expect(reply.status == .ok, "\(route) → \(reply.status): \(text)")
                        for id in target.foreign {
                            #expect(!text.contains(id), "\(route) leaked \(id): \(text)")
                        }
                    }
                }
            }

            // Nothing of B changed: its key still works and its account is still there.
            let whoB = try await fixture.ok(.get, "/v1/whoami", key: keyB.key, as: Caller.self)
            #expect(whoB.principalId == accountB.id)
            let accounts = try await fixture.ok(.get, "/v1/projects/\(projectB.id)/serviceaccounts", key: fixture.adminKey, as: [ServiceAccount].self)
            #expect(accounts.map(\.name) == ["b-admin"])
            let keys = try await fixture.ok(.get, "/v1/keys", key: fixture.adminKey, as: [APIKeyInfo].self)
            #expect(keys.first { $0.id == keyB.info.id }?.revokedAt == nil)
            #expect(keys.first { $0.id == keyB.info.id }?.replacedBy == nil)
        }
    }
}

import AuditService
import Foundation
import OCIKit
import HTTPTypes
import PlatformAPI
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
        /// 400: the route needs query parameters the probe does not send; the error names none
        /// of the other project's ids.
        case badRequest
    }

    static let hello = (try? String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("manifests/apps/hello.yaml"), encoding: .utf8)) ?? ""

    @Test("the probe covers every endpoint, each once")
    func probeCoversEveryEndpoint() {
        #expect(Endpoints.all.count == Self.operationCount)
        #expect(Set(Endpoints.all.map(\.signature)).count == Endpoints.all.count)
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
                for endpoint in Endpoints.all {
                    let digest = "sha256:" + String(repeating: "0", count: 64)
                    let path = endpoint.path.path { parameter in
                        switch parameter {
                        case .tenant: target.tenant
                        case .project: target.project.id
                        case .account: target.account.id
                        case .key: target.key.info.id
                        case .kind: "scope"
                        case .policy: "quota.gpus"
                        case .flag: "connect.ssh"
                        case .department: "research"
                        case .period: "2026-12"
                        case .app: "hello"
                        case .digest: digest
                        case .component: "database"
                        case .volume: "home"
                        case .secret: "hf-token"
                        case .instance, .session, .webhook, .event, .release, .incident, .window: "01ARZ3NDEKTSV4RRFFQ69G5FAV"
                        }
                    }
                    let body: [String: any Sendable] = [
                        "name": "intruder", "role": "viewer", "serviceAccount": target.account.id,
                        "scopes": ["apps:instance:launch"], "expiresInSeconds": 3600, "overlapSeconds": 60,
                        "manifest": Self.hello, "publicKeyPEM": SigningPrivateKey().publicKey.pem, "to": "verified", "limit": "10",
                    ]
                    let reply = try await fixture.call(endpoint.method, path, key: keyA.key, body: endpoint.method == .get ? nil : body)
                    let text = String(decoding: reply.body, as: UTF8.self)
                    let route = endpoint.signature
                    var expected = Self.expectation(endpoint.operation)
                    // Inside its own tenant, listing the tenant's projects is allowed but filtered.
                    if endpoint.operation == .listProjects && target.tenant == "alpha" { expected = .listWithoutOthers }
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
                    case .badRequest:
                        #expect(reply.status == .badRequest, "\(route) → \(reply.status): \(text)")
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

    @Test("a tenant-wide key reaches every project of its tenant and nothing of another tenant", arguments: ServerBackend.enabled)
    func tenantWideKey(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (alpha, a1, _, _) = try await fixture.makeProject(tenant: "alpha", project: "a1", account: "a1-admin")
            let (beta, b1, _, _) = try await fixture.makeProject(tenant: "beta", project: "b1", account: "b1-admin")
            let admin = try await fixture.ok(
                .post, "/v1/tenants/\(alpha.id)/serviceaccounts", key: fixture.adminKey, body: ["name": "alpha-ops", "role": "tenant-admin"],
                as: ServiceAccount.self)
            #expect(admin.projectId == nil)
            let key = try await fixture.ok(
                .post, "/v1/keys", key: fixture.adminKey,
                body: ["serviceAccount": admin.id, "scopes": ["iam:project:create", "iam:project:read", "iam:serviceaccount:read"],
                       "expiresInSeconds": 3600],
                as: IssuedKey.self)
            #expect(key.info.tenantId == alpha.id && key.info.projectId == nil)

            let created = try await fixture.ok(.post, "/v1/tenants/alpha/projects", key: key.key, body: ["name": "a2"], as: Project.self)
            let projects = try await fixture.ok(.get, "/v1/tenants/alpha/projects", key: key.key, as: [Project].self)
            #expect(Set(projects.map(\.id)) == [a1.id, created.id])
            #expect(try await fixture.call(.get, "/v1/projects/\(a1.id)/serviceaccounts", key: key.key).status == .ok)

            #expect(try await fixture.call(.get, "/v1/tenants/\(beta.id)/projects", key: key.key).status == .notFound)
            #expect(try await fixture.call(.post, "/v1/tenants/beta/projects", key: key.key, body: ["name": "x"]).status == .notFound)
            #expect(try await fixture.call(.get, "/v1/projects/\(b1.id)/serviceaccounts", key: key.key).status == .notFound)

            // Tenant-wide roles are not grantable to project accounts, nor project roles tenant-wide.
            let wrong = try await fixture.call(.post, "/v1/projects/\(a1.id)/serviceaccounts", key: fixture.adminKey,
                                               body: ["name": "x", "role": "tenant-admin"])
            #expect(wrong.errorCode == "iam.invalid_request")
        }
    }
}

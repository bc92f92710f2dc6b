import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PlatformContracts
import PlatformServer
import PlatformTestKit
import Testing

/// The tenant admin's console pages (`/console/admin/…`) over a live platformd on SQLite:
/// signed in with a real API key, forms posted with the session's CSRF token, every action an
/// in-process `/v1` call, so refusals carry the API's status and code.
@Suite("Console: tenant admin pages")
struct ConsoleTenantAdminTests {
    @Test("a tenant admin rotates a key from the console: shown once, the old key is replaced, and audit search finds the rotation", arguments: ServerBackend.enabled)
    func rotateAndFindInAudit(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let world = try await AdminWorld.make(fixture, tenant: "acme")
            let admin = try await AdminConsoleClient.signIn(fixture, key: world.adminKey.key)

            let keys = try await admin.get("/console/admin/keys")
            #expect(keys.status == .ok)
            #expect(keys.body.contains("id=\"keys-table\"") && keys.body.contains("id=\"accounts-table\""))
            #expect(keys.body.contains("data-key=\"\(world.developerKey.info.id)\""))
            #expect(keys.body.contains("id=\"rotate-\(world.developerKey.info.id)\"") && keys.body.contains("id=\"revoke-\(world.developerKey.info.id)\""))
            #expect(keys.body.contains("expires in 23 hours") || keys.body.contains("expires in 1 day"), "expiry shown relative to now")

            let answer = try await admin.post("/console/admin/keys/\(world.developerKey.info.id)/rotate", [:])
            #expect(answer.status == .ok, "the new key is the POST's own answer, not a redirect")
            #expect(answer.headers[.location] == nil)
            let issued = try #require(AdminConsoleClient.element("code", id: "issued-key", in: answer.body))
            #expect(issued.hasPrefix("pk_") || issued.count > 20)
            #expect(answer.body.components(separatedBy: issued).count == 2, "the key's text appears exactly once")
            #expect(!answer.headers[values: .setCookie].contains { $0.contains(issued) }, "never in a cookie")
            #expect(answer.headers[.cacheControl] == "no-store")

            // The new key works; the old one is marked rotated and points at it.
            let whoami = try await fixture.ok(.get, "/v1/whoami", key: issued, as: Caller.self)
            #expect(whoami.principalId == world.developerKey.info.principalId)
            let after = try await admin.get("/console/admin/keys")
            let oldRow = try #require(AdminConsoleClient.row(dataKey: world.developerKey.info.id, in: after.body))
            #expect(oldRow.contains("rotated") && oldRow.contains(whoami.keyId))
            #expect(!after.body.contains(issued), "the keys page never shows a secret")
            #expect(!after.body.contains("id=\"rotate-\(world.developerKey.info.id)\""), "a rotated key is not rotated twice")

            let audit = try await admin.get("/console/admin/audit?action=iam.key.rotate")
            #expect(audit.status == .ok)
            #expect(audit.body.contains("id=\"audit-search\"") && audit.body.contains("id=\"audit-table\""))
            let records = AdminConsoleClient.auditRows(in: audit.body)
            #expect(records.count == 1)
            #expect(records.first?.contains("<td class=\"action\">iam.key.rotate</td>") == true)
            #expect(records.first?.contains("<td class=\"target\">key/\(world.developerKey.info.id)</td>") == true)
            #expect(records.first?.contains("<td class=\"actor\">\(world.adminKey.info.principalId)</td>") == true)
        }
    }

    @Test("a viewer's key sees the keys but cannot rotate one: the API's 403 code is the page's")
    func viewerCannotRotate() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let (_, project, _, developer) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "worker", role: "developer")
            let viewerAccount = try await fixture.ok(
                .post, "/v1/projects/\(project.id)/serviceaccounts", key: fixture.adminKey, body: ["name": "auditor", "role": "viewer"],
                as: ServiceAccount.self)
            let viewerKey = try await fixture.ok(
                .post, "/v1/keys", key: fixture.adminKey,
                body: ["serviceAccount": viewerAccount.id, "scopes": ["iam:project:read", "iam:serviceaccount:read", "iam:key:read"],
                       "expiresInSeconds": 86_400], as: IssuedKey.self)
            let viewer = try await AdminConsoleClient.signIn(fixture, key: viewerKey.key)

            let keys = try await viewer.get("/console/admin/keys")
            #expect(keys.status == .ok)
            #expect(keys.body.contains("data-key=\"\(developer.info.id)\""))
            #expect(!keys.body.contains("id=\"rotate-"), "no rotate form without iam:key:rotate")

            let refused = try await viewer.post("/console/admin/keys/\(developer.info.id)/rotate", [:])
            #expect(refused.status == .forbidden)
            #expect(AdminConsoleClient.element("span", id: "error-code", in: refused.body) == "iam.forbidden")
            let listed = try await fixture.ok(.get, "/v1/keys", key: fixture.adminKey, as: [APIKeyInfo].self)
            #expect(listed.first { $0.id == developer.info.id }?.replacedBy == nil, "the key was not rotated")
        }
    }

    @Test("tenant B's admin gets iam.not_found for tenant A's admin pages and keys, and sees none of A's")
    func otherTenantIsNotFound() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let a = try await AdminWorld.make(fixture, tenant: "tenant-a")
            let b = try await AdminWorld.make(fixture, tenant: "tenant-b")
            let adminB = try await AdminConsoleClient.signIn(fixture, key: b.adminKey.key)

            for path in ["/console/admin/projects?tenant=\(a.tenant.id)", "/console/admin/keys?tenant=\(a.tenant.id)",
                         "/console/admin/quotas?tenant=\(a.tenant.id)"] {
                let page = try await adminB.get(path)
                #expect(page.status == .notFound, "\(path)")
                #expect(AdminConsoleClient.element("span", id: "error-code", in: page.body) == "iam.not_found", "\(path)")
                #expect(!page.body.contains(a.project.id) && !page.body.contains("tenant-a"), "\(path) shows nothing of A")
            }
            let rotate = try await adminB.post("/console/admin/keys/\(a.developerKey.info.id)/rotate", [:])
            #expect(rotate.status == .notFound)
            #expect(AdminConsoleClient.element("span", id: "error-code", in: rotate.body) == "iam.not_found")
            let revoke = try await adminB.post("/console/admin/keys/\(a.developerKey.info.id)/revoke", [:])
            #expect(revoke.status == .notFound)

            for path in ["/console/admin/projects", "/console/admin/keys", "/console/admin/quotas", "/console/admin/audit?order=newest"] {
                let page = try await adminB.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.body.contains(a.developerKey.info.id) && !page.body.contains(a.project.id), "\(path) shows nothing of A")
            }
            let own = try await adminB.get("/console/admin/keys?tenant=\(b.tenant.id)")
            #expect(own.status == .ok && own.body.contains("data-key=\"\(b.developerKey.info.id)\""))
        }
    }

    @Test("projects, service accounts, keys, budgets: created and removed through the console forms")
    func createThroughForms() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let world = try await AdminWorld.make(fixture, tenant: "acme")
            let admin = try await AdminConsoleClient.signIn(fixture, key: world.adminKey.key)

            let projects = try await admin.get("/console/admin/projects")
            #expect(projects.body.contains("id=\"projects-table\"") && projects.body.contains("id=\"create-project\""))
            let created = try await admin.post("/console/admin/projects", ["name": "research", "tenant": world.tenant.id])
            #expect(created.status == .seeOther)
            let listed = try await admin.get("/console/admin/projects", following: created)
            #expect(listed.body.contains("<th scope=\"row\">research</th>"))
            #expect(listed.body.contains("Project research created"), "the notice crosses the redirect once")
            let research = try #require(try await fixture.ok(.get, "/v1/tenants/\(world.tenant.id)/projects", key: fixture.adminKey, as: [Project].self)
                .first { $0.name == "research" })

            let account = try await admin.post("/console/admin/accounts", ["name": "pipeline", "role": "developer", "owner": "project:\(research.id)"])
            #expect(account.status == .seeOther, "\(account.body)")
            let accounts = try await fixture.ok(.get, "/v1/projects/\(research.id)/serviceaccounts", key: fixture.adminKey, as: [ServiceAccount].self)
            let pipeline = try #require(accounts.first { $0.name == "pipeline" })
            let keysPage = try await admin.get("/console/admin/keys")
            #expect(keysPage.body.contains("data-account=\"\(pipeline.id)\"") && keysPage.body.contains("id=\"create-key\""))

            let issuedPage = try await admin.post("/console/admin/keys", [
                "serviceAccount": pipeline.id, "scopes": "apps:instance:read", "expiresInDays": "7",
            ])
            #expect(issuedPage.status == .ok)
            let secret = try #require(AdminConsoleClient.element("code", id: "issued-key", in: issuedPage.body))
            let caller = try await fixture.ok(.get, "/v1/whoami", key: secret, as: Caller.self)
            #expect(caller.principalId == pipeline.id && caller.scopes == ["apps:instance:read"])
            let keyRow = try #require(AdminConsoleClient.row(dataKey: caller.keyId, in: try await admin.get("/console/admin/keys").body))
            #expect(keyRow.contains("expires in 6 days") || keyRow.contains("expires in 7 days"))
            #expect(keyRow.contains("apps:instance:read") && keyRow.contains("pipeline") && keyRow.contains("active"))

            let revoked = try await admin.post("/console/admin/keys/\(caller.keyId)/revoke", [:])
            #expect(revoked.status == .seeOther)
            #expect(try await fixture.call(.get, "/v1/whoami", key: secret).status == .unauthorized)
            let revokedRow = try #require(AdminConsoleClient.row(dataKey: caller.keyId, in: try await admin.get("/console/admin/keys").body))
            #expect(revokedRow.contains("revoked") && !revokedRow.contains("id=\"revoke-"))

            let quotas = try await admin.get("/console/admin/quotas")
            #expect(quotas.status == .ok)
            #expect(quotas.body.contains("id=\"quotas-table\"") && quotas.body.contains("data-policy=\"quota.concurrent_instances\""))
            #expect(quotas.body.contains("0 live"), "current use of the instance quota")
            #expect(quotas.body.contains("0 GPUs held"), "current use of the GPU quota")
            #expect(quotas.body.contains("id=\"set-budget\""))
            let set = try await admin.post("/console/admin/budgets", ["target": "project:\(research.id)", "limit": "125.50", "thresholds": "50, 90"])
            #expect(set.status == .seeOther)
            let withBudget = try await admin.get("/console/admin/quotas")
            let budgetRow = try #require(AdminConsoleClient.slice(from: "data-budget=\"project:\(research.id)\"", to: "</tr>", in: withBudget.body))
            #expect(budgetRow.contains("125.50") && budgetRow.contains("50, 90") && budgetRow.contains("0%"))
            #expect(withBudget.body.contains("id=\"budgets-table\""))
            let removed = try await admin.post("/console/admin/budgets/remove", ["target": "project:\(research.id)"])
            #expect(removed.status == .seeOther)
            #expect(!(try await admin.get("/console/admin/quotas")).body.contains("data-budget=\"project:\(research.id)\""))

            // Every page: one h1, unique ids, a label for each visible control, captions and scoped headers on tables.
            let issuedAgain = try await admin.post("/console/admin/keys/\(world.developerKey.info.id)/rotate", [:])
            for page in [try await admin.get("/console/admin/projects"), try await admin.get("/console/admin/keys"),
                         try await admin.get("/console/admin/quotas"), try await admin.get("/console/admin/audit?action=iam.key.rotate"),
                         issuedAgain] {
                #expect(page.status == .ok)
                AdminConsoleClient.expectAccessibleStructure(page.body)
            }
        }
    }

    @Test("audit search: every filter of the read model is a named input, pages by after and by cursor, bad values refused")
    func auditSearchFiltersAndPaging() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let world = try await AdminWorld.make(fixture, tenant: "acme")
            for name in ["one", "two", "three"] {
                _ = try await fixture.ok(.post, "/v1/tenants/\(world.tenant.id)/projects", key: fixture.adminKey, body: ["name": name], as: Project.self)
            }
            let admin = try await AdminConsoleClient.signIn(fixture, key: world.adminKey.key)
            let form = try await admin.get("/console/admin/audit")
            #expect(form.status == .ok && form.body.contains("id=\"search\""))
            for field in ["action", "since", "after", "limit", "actor", "target", "request", "correlation", "order", "cursor"] {
                #expect(form.body.contains("name=\"\(field)\""), "filter \(field)")
                #expect(form.body.contains("<label for=\"audit-\(field)\""), "label for \(field)")
            }

            let first = try await admin.get("/console/admin/audit?action=iam.project.create&limit=2")
            let firstRows = AdminConsoleClient.auditRows(in: first.body)
            #expect(firstRows.count == 2)
            let next = try #require(AdminConsoleClient.attribute("href", ofElementWithID: "audit-next", in: first.body))
            #expect(next.contains("after=") && next.contains("action=iam.project.create") && next.contains("limit=2"))
            let second = try await admin.get(next.replacingOccurrences(of: "&amp;", with: "&"))
            let secondRows = AdminConsoleClient.auditRows(in: second.body)
            #expect(!secondRows.isEmpty && secondRows.allSatisfy { $0.contains("iam.project.create") })
            #expect(Set(firstRows).isDisjoint(with: secondRows), "the next page continues, it does not repeat")

            let newest = try await admin.get("/console/admin/audit?action=iam.project.create&limit=1&order=newest")
            #expect(AdminConsoleClient.auditRows(in: newest.body).first?.contains("three") == true, "newest first: the last project created")
            let cursor = try #require(AdminConsoleClient.attribute("href", ofElementWithID: "audit-next", in: newest.body))
            #expect(cursor.contains("cursor="))
            let older = try await admin.get(cursor.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(AdminConsoleClient.auditRows(in: older.body).first?.contains("two") == true)

            let byActor = try await admin.get("/console/admin/audit?actor=\(world.adminKey.info.principalId)")
            #expect(AdminConsoleClient.auditRows(in: byActor.body).allSatisfy { $0.contains(world.adminKey.info.principalId) })

            let bad = try await admin.get("/console/admin/audit?order=sideways")
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("id=\"audit-problem\"") && bad.body.contains("http.parameter_invalid"))
            #expect(bad.body.contains("id=\"audit-search\""), "the form is shown again")
        }
    }
}

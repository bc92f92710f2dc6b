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
    @Test("a tenant admin rotates a key from the console: shown once, the old key is replaced, and audit search finds the rotation")
    func rotateAndFindInAudit() async throws {
        try await withIAMServer(.sqlite) { fixture in
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

/// A tenant with a project, a developer key in it and a tenant-admin key, made with the
/// bootstrap admin key over `/v1`.
private struct AdminWorld: Sendable {
    let tenant: Tenant
    let project: Project
    let developerKey: IssuedKey
    let adminKey: IssuedKey

    /// The tenant-admin role's scopes (manifests/platform/scopes.yaml).
    static let tenantAdminScopes = [
        "iam:tenant:read", "iam:project:create", "iam:project:read", "iam:serviceaccount:create", "iam:serviceaccount:read",
        "iam:serviceaccount:delete", "iam:key:create", "iam:key:read", "iam:key:rotate", "iam:key:revoke", "audit:log:read",
        "apps:catalog:register", "apps:catalog:read", "apps:instance:launch", "apps:instance:read", "apps:instance:connect",
        "artifacts:repository:pull", "artifacts:repository:push", "artifacts:repository:delete", "artifacts:signingkey:read",
        "artifacts:signingkey:manage", "artifacts:trust:promote", "apps:node:read", "policy:read", "notifications:feed:read",
        "notifications:preference:write", "notifications:webhook:manage", "usage:read", "billing:read", "billing:budget:write",
        "release:read", "release:write", "release:approve", "apps:instance:exec", "apps:volume:read", "apps:volume:manage",
        "secrets:secret:read", "secrets:secret:write",
    ]

    static func make(_ fixture: IAMFixture, tenant name: String) async throws -> AdminWorld {
        let (tenant, project, _, developer) = try await fixture.makeProject(
            tenant: name, project: "p1", account: "worker", role: "developer", scopes: ["iam:project:read", "apps:instance:read"])
        let account = try await fixture.ok(
            .post, "/v1/tenants/\(tenant.id)/serviceaccounts", key: fixture.adminKey, body: ["name": "admin", "role": "tenant-admin"],
            as: ServiceAccount.self)
        let adminKey = try await fixture.ok(
            .post, "/v1/keys", key: fixture.adminKey,
            body: ["serviceAccount": account.id, "scopes": tenantAdminScopes, "expiresInSeconds": 86_400], as: IssuedKey.self)
        return AdminWorld(tenant: tenant, project: project, developerKey: developer, adminKey: adminKey)
    }
}

/// A browser's part of the console conversation: the session cookie and the session's CSRF
/// token (read from a page's hidden `csrf` field, as a form would send it).
private struct AdminConsoleClient: Sendable {
    let client: any TestClientProtocol
    let cookie: String
    let csrf: String

    struct Page: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
    }

    static func signIn(_ fixture: IAMFixture, key: String) async throws -> AdminConsoleClient {
        let form = try await fixture.client.execute(uri: "/console/sign-in", method: .get) { Page(status: $0.status, headers: $0.headers, body: text($0.body)) }
        let signInCookie = try #require(cookie("platform_console_signin", in: form.headers))
        let token = String(signInCookie.dropFirst("platform_console_signin=".count))
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers[.cookie] = signInCookie
        let body = "csrf=\(token)&next=%2Fconsole%2F&key=\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key)"
        let answer = try await fixture.client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: ByteBuffer(string: body)) {
            Page(status: $0.status, headers: $0.headers, body: text($0.body))
        }
        #expect(answer.status == .seeOther, "sign-in: \(answer.body)")
        let session = try #require(cookie("platform_console", in: answer.headers))
        let home = try await AdminConsoleClient(client: fixture.client, cookie: session, csrf: "").get("/console/")
        let csrf = try #require(attribute("value", after: "name=\"csrf\"", in: home.body))
        return AdminConsoleClient(client: fixture.client, cookie: session, csrf: csrf)
    }

    func get(_ path: String, following redirect: Page? = nil) async throws -> Page {
        var headers = HTTPFields()
        var cookies = [cookie]
        if let redirect, let flash = Self.cookie("platform_console_flash", in: redirect.headers) { cookies.append(flash) }
        headers[.cookie] = cookies.joined(separator: "; ")
        return try await client.execute(uri: path, method: .get, headers: headers) { Page(status: $0.status, headers: $0.headers, body: text($0.body)) }
    }

    func post(_ path: String, _ fields: [String: String]) async throws -> Page {
        var headers = HTTPFields()
        headers[.cookie] = cookie
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = (["csrf": csrf].merging(fields) { first, _ in first }).map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
        }.joined(separator: "&")
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) {
            Page(status: $0.status, headers: $0.headers, body: text($0.body))
        }
    }

    /// `name=value` of a `Set-Cookie` with a non-empty value.
    static func cookie(_ name: String, in headers: HTTPFields) -> String? {
        headers[values: .setCookie].compactMap { $0.split(separator: ";").first.map(String.init) }
            .first { $0.hasPrefix(name + "=") && $0.count > name.count + 1 }
    }

    /// The text of the `tag` element with `id` (`<span class="code" id="error-code">TEXT</span>`).
    static func element(_ tag: String, id: String, in html: String) -> String? {
        guard let marker = html.range(of: " id=\"\(id)\""), html[..<marker.lowerBound].range(of: "<\(tag)", options: .backwards) != nil,
              let close = html.range(of: ">", range: marker.upperBound..<html.endIndex),
              let end = html.range(of: "</\(tag)>", range: close.upperBound..<html.endIndex) else { return nil }
        return String(html[close.upperBound..<end.lowerBound])
    }

    /// The value of `attribute="…"` first found after `marker`.
    static func attribute(_ attribute: String, after marker: String, in html: String) -> String? {
        guard let start = html.range(of: marker), let value = html.range(of: "\(attribute)=\"", range: start.upperBound..<html.endIndex),
              let end = html.range(of: "\"", range: value.upperBound..<html.endIndex) else { return nil }
        return String(html[value.upperBound..<end.lowerBound])
    }

    /// The value of `attribute` of the element with `id`.
    static func attribute(_ attribute: String, ofElementWithID id: String, in html: String) -> String? {
        guard let tag = html.range(of: "id=\"\(id)\"") else { return nil }
        let open = html[..<tag.lowerBound].range(of: "<", options: .backwards)?.lowerBound ?? tag.lowerBound
        guard let close = html.range(of: ">", range: tag.upperBound..<html.endIndex) else { return nil }
        return Self.attribute(attribute, after: "<", in: String(html[open..<close.upperBound]))
    }

    static func slice(from marker: String, to end: String, in html: String) -> String? {
        guard let start = html.range(of: marker), let stop = html.range(of: end, range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<stop.upperBound])
    }

    /// The row `tr[data-key=ID]`.
    static func row(dataKey id: String, in html: String) -> String? {
        slice(from: "data-key=\"\(id)\"", to: "</tr>", in: html)
    }

    /// The structural accessibility rules axe-core checks that a server-rendered page decides:
    /// one `<h1>`, unique ids, every `input`/`select` (not hidden) named by a `<label for>`,
    /// every table with a caption and only scoped header cells, no positive tabindex.
    static func expectAccessibleStructure(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(html.components(separatedBy: "<h1").count == 2, "one h1", sourceLocation: sourceLocation)
        let ids = html.components(separatedBy: " id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        let duplicates = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys
        #expect(duplicates.isEmpty, "duplicate ids \(duplicates.sorted())", sourceLocation: sourceLocation)
        for control in html.components(separatedBy: "<input ").dropFirst().map({ $0.prefix { $0 != ">" } })
            + html.components(separatedBy: "<select ").dropFirst().map({ $0.prefix { $0 != ">" } }) where !control.contains("type=\"hidden\"") {
            let id = control.components(separatedBy: "id=\"").dropFirst().first.map { String($0.prefix { $0 != "\"" }) }
            #expect(id.map { html.contains("<label for=\"\($0)\"") } == true, "a label for <\(control)>", sourceLocation: sourceLocation)
        }
        for table in html.components(separatedBy: "<table").dropFirst().map({ $0.components(separatedBy: "</table>")[0] }) {
            #expect(table.contains("<caption>"), "a caption", sourceLocation: sourceLocation)
            #expect(!table.contains("<th>") && !table.contains("<th class"), "scoped header cells", sourceLocation: sourceLocation)
        }
        #expect(!html.contains("tabindex=\"1") && !html.contains("{{"), sourceLocation: sourceLocation)
    }

    /// Every `tr.audit-record`.
    static func auditRows(in html: String) -> [String] {
        html.components(separatedBy: "<tr class=\"audit-record\"").dropFirst().map { $0.components(separatedBy: "</tr>")[0] }
    }
}

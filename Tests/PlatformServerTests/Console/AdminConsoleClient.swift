import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PlatformContracts
import PlatformServer
import Testing

/// A tenant with a project, a developer key in it and a tenant-admin key, made with the
/// bootstrap admin key over `/v1`.
struct AdminWorld: Sendable {
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
struct AdminConsoleClient: Sendable {
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

import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PlatformContracts
import PlatformServer
import PlatformTestKit
import RegistryService
import Testing

/// A live `platformd` (in process, real sockets, the real router with `/console/`) and a
/// browser's view of it: sign in with a key, then GET pages and POST forms with the session's
/// cookie and CSRF token. Page tests of every console family reuse it:
///
/// ```swift
/// try await withConsole { console in
///     let (_, project, _, key) = try await console.member(tenant: "a", project: "p", account: "dev", role: "developer")
///     let session = try await console.signIn(key: key.key)
///     let page = try await console.get("/console/projects/\(project.id)/instances", session)
///     #expect(page.status == .ok && page.body.contains("id=\"instances-table\""))
///     let stop = try await console.post("/console/projects/\(project.id)/instances/X/stop", [:], session)
/// }
/// ```
struct ConsoleFixture: Sendable {
    /// The API side: `call`, `ok`, `makeProject` with the bootstrap admin key.
    let iam: IAMFixture
    var client: any TestClientProtocol { iam.client }
    var server: PlatformServer { iam.server }
    var adminKey: String { iam.adminKey }

    /// A signed-in browser: the session cookie's value and the session's synchronizer token.
    struct Session: Sendable {
        /// `ID.SECRET`, the `platform_console` cookie's value.
        let cookie: String
        /// The token every form of this session carries as `csrf`.
        let csrf: String
        /// The `Cookie` header a browser sends with it.
        var cookieHeader: String { "platform_console=\(cookie)" }
    }

    /// An answer as a browser sees it.
    struct Page: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String

        /// Every `Set-Cookie` header.
        var setCookies: [String] { headers[values: .setCookie] }
        /// The `Set-Cookie` header of `name`, if set.
        func setCookie(_ name: String) -> String? { setCookies.first { $0.hasPrefix("\(name)=") } }
        /// The value `Set-Cookie` gives `name`.
        func cookieValue(_ name: String) -> String? {
            setCookie(name).map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
        }
        /// `Location` of a redirect.
        var location: String? { headers[.location] }
        /// The error page's stable code (`#error-code`).
        var errorCode: String? { ConsoleFixture.text(of: "error-code", in: body) }
        /// Status, code and message, for an expectation's comment.
        var summary: Comment { "\(status) \(errorCode ?? "-"): \(ConsoleFixture.text(of: "error-message", in: body) ?? String(body.prefix(200)))" }
        /// The first hidden `csrf` field of the page (the session's token, or the sign-in form's).
        var csrfField: String? { ConsoleFixture.hiddenValue("csrf", in: body) }
    }

    /// A tenant (made or reused), a project in it, a service account with `role` and a key holding
    /// exactly that role's scopes from `manifests/platform/scopes.yaml` (a real developer, tenant
    /// admin, … key, not ``RoleScopes``' short lists).
    func member(tenant: String, project: String, account: String, role: String) async throws -> (Tenant, Project, ServiceAccount, IssuedKey) {
        let scopes = try RegistryFiles(directory: checkoutRoot.appendingPathComponent("manifests/platform")).scopes().scopes(ofRole: role)
        return try await iam.makeProject(tenant: tenant, project: project, account: account, role: role, scopes: scopes.sorted())
    }

    /// Signs in with `key` the way a browser does (GET the form for the double-submit token,
    /// POST it with the key) and reads the session's token from the home page.
    func signIn(key: String) async throws -> Session {
        let form = try await get("/console/sign-in")
        guard let token = form.cookieValue("platform_console_signin"), form.csrfField == token else {
            Issue.record("the sign-in form carries no double-submit token: \(form.setCookies)")
            throw CancellationError()
        }
        let answer = try await send(.post, "/console/sign-in", form: ["csrf": token, "key": key, "next": "/console/"],
                                    cookies: ["platform_console_signin=\(token)"])
        guard answer.status == .seeOther, let cookie = answer.cookieValue("platform_console"), !cookie.isEmpty else {
            Issue.record("sign-in answered \(answer.status): \(answer.body)")
            throw CancellationError()
        }
        let home = try await send(.get, "/console/", cookies: ["platform_console=\(cookie)"])
        guard let csrf = home.csrfField else {
            Issue.record("the home page (\(home.status)) carries no csrf field: \(home.body.prefix(400))")
            throw CancellationError()
        }
        return Session(cookie: cookie, csrf: csrf)
    }

    /// GET `path` as `session` (or signed out).
    func get(_ path: String, _ session: Session? = nil, headers: HTTPFields = [:]) async throws -> Page {
        try await send(.get, path, cookies: session.map { [$0.cookieHeader] } ?? [], headers: headers)
    }

    /// POSTs a form as `session`, with its token unless `csrf` overrides it (`.some(nil)`: none).
    func post(_ path: String, _ fields: [String: String], _ session: Session?, csrf: String?? = .none,
              headers: HTTPFields = [:]) async throws -> Page {
        var form = fields
        switch csrf {
        case .none: form["csrf"] = session?.csrf
        case .some(let value): form["csrf"] = value
        }
        return try await send(.post, path, form: form, cookies: session.map { [$0.cookieHeader] } ?? [], headers: headers)
    }

    /// One request with cookies and an optional url-encoded form.
    func send(_ method: HTTPRequest.Method, _ path: String, form: [String: String]? = nil, cookies: [String] = [],
              headers extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        if !cookies.isEmpty { headers[.cookie] = cookies.joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: Self.urlEncoded(form))
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    static func urlEncoded(_ form: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.sorted { $0.key < $1.key }.map { key, value in
            (key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key) + "="
                + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
    }

    /// The text inside the element with `id` (tags stripped, entities left as rendered).
    static func text(of id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\""), let open = html[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = html[html.index(after: open)...]
        guard let close = rest.range(of: "</") else { return nil }
        return String(rest[..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The `value` of the first `<input … name="NAME" value="…">`.
    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let field = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[field.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

/// Boots a live server with the console on `backend` (an `https` `externalURL` makes its
/// cookies `Secure`) and hands the fixture to `body`.
func withConsole(_ backend: ServerBackend = .sqlite, externalURL: String? = nil,
                 _ body: @escaping @Sendable (ConsoleFixture) async throws -> Void) async throws {
    let url = try await backend.databaseURL()
    try await withTemporaryDirectory { directory async throws in
        var configuration = testConfiguration(dataDirectory: directory.path, databaseURL: url)
        configuration.externalURL = externalURL
        let server = try await PlatformServer.bootstrap(configuration, logger: quietLogger)
        try await server.application.test(.live) { client in
            let key = try String(contentsOf: server.bootstrapKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            // A first request now, as `withIAMServer` does: the live connection's head timeout.
            try await client.execute(uri: "/livez", method: .get)
            try await body(ConsoleFixture(iam: IAMFixture(client: client, server: server, adminKey: key)))
        }
    }
}

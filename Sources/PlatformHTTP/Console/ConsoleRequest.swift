import Foundation
import HTTPTypes
import Hummingbird
import PlatformClient
import PlatformContracts

/// What a console page handler gets: the signed-in session, the caller's grants (to show or
/// hide actions; the API decides again on every call), a ``PlatformClient`` whose calls go
/// through the `/v1` router in process as this caller, and the request's fields.
///
/// ```swift
/// pages.get("projects/:project/instances") { page in
///     let project = try page.parameter("project")
///     let rows = try await page.api.send(Endpoints.listInstances, path: .init(project: project), query: InstancesQuery(limit: 50))
///     return try page.render(.instances, title: "Instances", InstancesModel(rows))
/// }
/// ```
public struct ConsoleRequest: Sendable {
    /// The session (its caller is the session key's caller, read on this request).
    public let session: WebSession
    /// What the caller may do now.
    public let grants: Grants
    /// The `/v1` API as this caller, in process.
    public let api: PlatformClient
    /// The POST body's fields (empty for GET).
    public let form: ConsoleForm
    /// The query string's fields.
    public let query: ConsoleForm
    /// The path as requested (`/console/…`), for "current page" marks and sign-in returns.
    public let path: String
    /// A one-time message from the previous action (post/redirect/get).
    public let flash: String?
    let parameters: Parameters
    /// The session cookie's value (sign-out ends the session it names).
    let cookieValue: String
    /// The request's correlation id (audit records carry it).
    let requestID: String
    let transport: ConsoleTransport
    let renderer: ConsoleRenderer
    let navigation: [ConsoleNavigation.Section]
    /// Whether cookies are marked `Secure` (TLS on, or an `https` external URL).
    let secureCookies: Bool

    /// The caller.
    public var caller: Caller { session.caller }

    /// A path parameter of the page's route (`:project`), percent-decoded.
    /// - Throws: ``ErrorCode/httpNotFound`` when the route has no such parameter.
    public func parameter(_ name: String) throws(PlatformError) -> String {
        guard let value = parameters.get(name) else { throw PlatformError(.httpNotFound, "this page needs \(name)") }
        return value.removingPercentEncoding ?? value
    }

    /// Whether the caller holds `scope` now (to show an action; the API still decides).
    public func allows(_ scope: String) -> Bool {
        if case .allow = grants.decision(for: scope) { return true }
        return false
    }

    /// The page `template` inside the layout, with `model` as `{{#page}}`.
    /// - Parameter status: 200, or 422 for a form shown again with its errors.
    public func render(_ template: ConsoleTemplate, title: String, _ model: Any, status: HTTPResponse.Status = .ok) throws(PlatformError) -> Response {
        var root: [String: Any] = [
            "title": title,
            "page": model,
            "csrf": session.csrfToken,
            "user": ["name": caller.principalName, "kind": caller.principalKind, "expiresAt": session.expiresAt],
            "navigation": navigation.map { $0.model(current: path) },
        ]
        // Only when set: Mustache renders an `Optional.none` in `[String: Any]` as the text "nil".
        if let flash { root["flash"] = flash }
        var response = Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: try renderer.render(template, root))))
        ConsoleRenderer.securePage(&response)
        if flash != nil { response.headers.append(HTTPField(name: .setCookie, value: ConsoleRoutes.clearedFlashCookie(secure: secureCookies))) }
        return response
    }

    /// 303 to `path` (post/redirect/get), carrying `notice` to the next page once.
    public func redirect(to path: String, notice: String? = nil) -> Response {
        ConsoleRoutes.redirect(to: path, notice: notice, secure: secureCookies)
    }

    /// The `/v1` router's own answer to `request`, unread: an event stream the browser follows
    /// (`EventSource` on a console URL, authorised by the session like every other call).
    public func forward(_ request: PlatformRequest) async throws -> Response {
        try await transport.respond(request)
    }
}

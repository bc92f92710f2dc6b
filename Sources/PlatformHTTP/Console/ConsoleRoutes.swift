import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformClient
import PlatformContracts

/// `/console/`: the server-rendered web console (Mustache, no build step, works without
/// JavaScript). A browser signs in by exchanging an API key for a session cookie
/// (``WebSessions``); every page then calls the `/v1` API in process as that session's caller
/// (``ConsoleTransport``), so it authorises with the API's scopes, sees the API's projects and
/// fails with the API's codes. Forms carry the session's synchronizer token and must come from
/// this origin; the cookie is HttpOnly, SameSite=Strict, Secure behind an `https` external URL.
public struct ConsoleRoutes: Sendable {
    let sessions: any WebSessions
    let identity: any Authorizer
    let audit: any AuditRecorder
    let renderer: ConsoleRenderer
    let api: RouterResponder<PlatformRequestContext>
    let secureCookies: Bool
    let sessionLifetime: Duration

    /// The session cookie's name.
    static let sessionCookie = "platform_console"
    /// The sign-in form's double-submit cookie (login CSRF: there is no session yet).
    static let signInCookie = "platform_console_signin"
    /// A one-time notice carried across a redirect.
    static let flashCookie = "platform_console_flash"
    /// The largest form body the console reads.
    static let maximumFormBytes = 1 << 20

    /// Creates the console over the same `/v1` bindings as the API.
    /// - Parameters:
    ///   - secured: The registrar the API uses; the console's in-process router registers the
    ///     same bindings with it, callers set from the session.
    ///   - secureCookies: Mark cookies `Secure` (the external URL is `https`).
    ///   - sessionLifetime: The longest a session lasts (never past its key's expiry).
    /// - Throws: ``ErrorCode/internalError`` when an operation is bound to another's endpoint.
    public init(sessions: any WebSessions, identity: any Authorizer, audit: any AuditRecorder, renderer: ConsoleRenderer,
                secured: SecuredRouter, routes: V1Routes, secureCookies: Bool, sessionLifetime: Duration = .seconds(8 * 3600)) throws(PlatformError) {
        let inner = Router(context: PlatformRequestContext.self)
        inner.addMiddleware { ErrorMiddleware() }
        try secured.register(routes, on: inner, callers: .consoleSession)
        self.api = inner.buildResponder()
        self.sessions = sessions
        self.identity = identity
        self.audit = audit
        self.renderer = renderer
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
    }

    /// Registers `/console`, its assets, sign-in and every page family.
    public func register(on router: Router<PlatformRequestContext>) {
        router.get("/console/assets/:file") { request, context in try asset(request, context) }
        router.get("/console/sign-in") { request, context in signInPage(request, context, problem: nil, status: .ok) }
        router.post("/console/sign-in") { request, context in try await signIn(request, context) }
        let pages = ConsolePages(router: router, routes: self)
        registerHome(on: pages)
        registerEndUserPages(on: pages)
        registerTenantAdminPages(on: pages)
        registerOperatorPages(on: pages)
    }

    // MARK: Cookies and redirects

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { return String(parts[1]) }
            }
        }
        return nil
    }

    func setCookie(_ name: String, _ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=/console; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }

    /// Clears the one-time notice once shown.
    static func clearedFlashCookie(secure: Bool) -> String {
        "\(flashCookie)=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// 303 See Other to `path`, with `notice` in a short-lived cookie the next page shows once.
    func redirect(to path: String, notice: String? = nil) -> Response {
        Self.redirect(to: path, notice: notice, secure: secureCookies)
    }

    /// 303 See Other to `path`, with `notice` in a short-lived cookie (`Secure` with `secure`).
    static func redirect(to path: String, notice: String? = nil, secure: Bool) -> Response {
        var headers = HTTPFields()
        headers[.location] = path
        headers[.cacheControl] = "no-store"
        if let notice, let encoded = notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
            headers.append(HTTPField(name: .setCookie, value: "\(flashCookie)=\(encoded); Path=/console; Max-Age=60; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")))
        }
        return Response(status: .seeOther, headers: headers)
    }

    /// A `next=` target the console may redirect to: its own pages only.
    static func safeReturn(_ next: String?) -> String {
        guard let next, next.hasPrefix("/console/"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("://") else { return "/console/" }
        return next
    }

    // MARK: Assets

    func asset(_ request: Request, _ context: PlatformRequestContext) throws -> Response {
        guard let name = context.parameters.get("file"), let asset = renderer.assets[name] else {
            throw PlatformError(.httpNotFound, "no console asset \(context.parameters.get("file") ?? "")")
        }
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        headers[.eTag] = asset.etag
        // Revalidated hourly: one conditional GET, answered 304 while the file is unchanged.
        headers[.cacheControl] = "public, max-age=3600, must-revalidate"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        if request.headers[.ifNoneMatch] == asset.etag {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.bytes))
    }
}

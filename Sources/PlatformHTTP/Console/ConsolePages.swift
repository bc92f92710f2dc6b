import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformClient
import PlatformContracts

/// Registers signed-in console pages. Each request: the session cookie resolves to a live
/// session (else GET redirects to sign-in with `next`, POST too); a POST must be a same-origin
/// form carrying the session's synchronizer token (else 403 `console.csrf_invalid`); the
/// caller's grants are read once; errors become an error page with the API's status and code.
public struct ConsolePages {
    let router: Router<PlatformRequestContext>
    let routes: ConsoleRoutes

    /// A page: `path` is under `/console/` (`"projects/:project/instances"`).
    public func get(_ path: String, _ handler: @escaping @Sendable (ConsoleRequest) async throws -> Response) {
        let routes = routes
        router.get(RouterPath("/console/" + path)) { request, context in
            try await routes.serve(request, context, post: false, handler)
        }
    }

    /// A form action under `/console/`; answers with a redirect (post/redirect/get) or a page.
    public func post(_ path: String, _ handler: @escaping @Sendable (ConsoleRequest) async throws -> Response) {
        let routes = routes
        router.post(RouterPath("/console/" + path)) { request, context in
            try await routes.serve(request, context, post: true, handler)
        }
    }
}

extension ConsoleRoutes {
    func serve(_ request: Request, _ context: PlatformRequestContext, post: Bool,
               _ handler: @Sendable (ConsoleRequest) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        context.canonicalisePathParameters()
        let path = request.uri.path
        guard let cookie = Self.cookie(Self.sessionCookie, in: request) else {
            return redirect(to: "/console/sign-in?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        let session: WebSession
        do {
            session = try await sessions.resolve(cookieValue: cookie)
        } catch let error as PlatformError where [.iamUnauthenticated, .iamKeyInvalid].contains(error.code) {
            var response = redirect(
                to: "/console/sign-in?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                notice: error.message)
            response.headers.append(HTTPField(name: .setCookie, value: setCookie(Self.sessionCookie, "", maxAge: 0)))
            return response
        }
        context.caller = session.caller
        context.consoleSession = session
        do {
            var form = ConsoleForm()
            if post {
                form = try await Self.readForm(&request, context)
                guard Self.sameOrigin(request), let sent = form["csrf"], Self.constantTimeEqual(sent, session.csrfToken) else {
                    throw PlatformError(.consoleCSRFInvalid, "this form expired or came from another site: reload the page and try again")
                }
            }
            let grants = try await identity.authorize(session.caller)
            let transport = ConsoleTransport(responder: api, context: context)
            let page = ConsoleRequest(
                session: session, grants: grants,
                api: PlatformClient(server: "", token: nil, userAgent: "platform-console", timeout: .seconds(30), transport: transport),
                form: form, query: ConsoleForm(urlEncoded: request.uri.query ?? ""), path: path,
                flash: Self.cookie(Self.flashCookie, in: request).flatMap { $0.removingPercentEncoding },
                parameters: context.parameters, cookieValue: cookie, requestID: context.requestID, transport: transport, renderer: renderer,
                navigation: ConsoleNavigation.sections(for: session.caller, grants: grants), secureCookies: secureCookies)
            do {
                return try await handler(page)
            } catch {
                return errorPage(error, page: page, requestID: context.requestID)
            }
        } catch {
            return errorPage(error, page: nil, requestID: context.requestID)
        }
    }

    /// An error as a page: the API's status and stable code, its message and the request id.
    func errorPage(_ error: any Error, page: ConsoleRequest?, requestID: String) -> Response {
        let status: HTTPResponse.Status
        let code: String
        let message: String
        switch error {
        case let error as PlatformError:
            status = error.code.responseStatus
            code = error.code.rawValue
            message = error.message
        case let error as PlatformClientError:
            status = HTTPResponse.Status(code: error.status ?? 502)
            code = error.code?.rawValue ?? "console.upstream_error"
            message = error.message
        default:
            status = .internalServerError
            code = ErrorCode.internalError.rawValue
            message = "the console could not show this page"
        }
        let model: [String: Any] = ["status": status.code, "reason": status.reasonPhrase, "code": code, "message": message, "requestId": requestID]
        if let page, let response = try? page.render(.error, title: "\(status.code) \(status.reasonPhrase)", model, status: status) {
            return response
        }
        let root: [String: Any] = ["title": "\(status.code) \(status.reasonPhrase)", "page": model]
        let html = (try? renderer.render(.error, root)) ?? "<!doctype html><title>\(status.code)</title><p>\(code)</p>"
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(string: html)))
        ConsoleRenderer.securePage(&response)
        return response
    }
}

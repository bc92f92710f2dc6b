import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformContracts

extension ConsoleRoutes {
    /// The sign-in form, with a fresh double-submit token in a cookie and in the form.
    func signInPage(_ request: Request, _ context: PlatformRequestContext, problem: String?, status: HTTPResponse.Status) -> Response {
        let token = Self.randomToken()
        let next = Self.safeReturn(request.uri.queryParameters.get("next"))
        // Optional values only when set: Mustache renders an `Optional.none` as the text "nil".
        var model: [String: Any] = ["next": next]
        if let problem { model["problem"] = problem }
        var root: [String: Any] = ["title": "Sign in", "csrf": token, "page": model]
        if let flash = Self.cookie(Self.flashCookie, in: request).flatMap({ $0.removingPercentEncoding }) { root["flash"] = flash }
        let html = (try? renderer.render(.signIn, root)) ?? "<!doctype html><title>Sign in</title><p>The console cannot render its sign-in page.</p>"
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(string: html)))
        ConsoleRenderer.securePage(&response)
        response.headers.append(HTTPField(name: .setCookie, value: setCookie(Self.signInCookie, token, maxAge: 1800)))
        response.headers.append(HTTPField(name: .setCookie, value: Self.clearedFlashCookie(secure: secureCookies)))
        return response
    }

    /// Exchanges the posted API key for a session: checks the double-submit token and the
    /// origin, authenticates the key, stores the session, audits `iam.session.create`, sets
    /// the cookie and redirects to `next`. A bad key shows the form again (401) with the reason.
    func signIn(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        var request = request
        let form = try await Self.readForm(&request, context)
        guard let expected = Self.cookie(Self.signInCookie, in: request), let sent = form["csrf"],
              Self.constantTimeEqual(expected, sent), Self.sameOrigin(request)
        else {
            return signInPage(request, context, problem: "The sign-in form expired or came from another site (console.csrf_invalid). Try again.",
                              status: .forbidden)
        }
        guard let key = form.text("key") else {
            return signInPage(request, context, problem: "Enter an API key.", status: .badRequest)
        }
        let issued: IssuedWebSession
        do {
            issued = try await sessions.signIn(keyText: key, lifetime: sessionLifetime)
        } catch let error as PlatformError where [.iamKeyInvalid, .iamKeyMalformed, .iamUnauthenticated].contains(error.code) {
            try? await audit.record(AuditEvent(
                actor: PrincipalID("anonymous"), action: "iam.access.denied", target: "POST /console/sign-in",
                outcome: .denied, requestID: context.requestID, details: ["code": error.code.rawValue]))
            return signInPage(request, context, problem: "\(error.message) (\(error.code.rawValue))", status: .unauthorized)
        }
        let caller = issued.session.caller
        try await audit.record(AuditEvent(
            actor: PrincipalID(caller.principalId), action: "iam.session.create", target: "console-session:\(issued.session.id)",
            outcome: .success, requestID: context.requestID,
            details: ["key_id": caller.keyId, "expires_at": issued.session.expiresAt], tenant: caller.tenantId, project: caller.projectId))
        let seconds = max(0, Int((Timestamp(rfc3339: issued.session.expiresAt)?.millisecondsSinceEpoch ?? 0) / 1000)
            - Int(Timestamp.now().millisecondsSinceEpoch / 1000))
        var response = redirect(to: Self.safeReturn(form["next"]))
        response.headers.append(HTTPField(name: .setCookie, value: setCookie(Self.sessionCookie, issued.cookieValue, maxAge: seconds)))
        response.headers.append(HTTPField(name: .setCookie, value: setCookie(Self.signInCookie, "", maxAge: 0)))
        return response
    }

    /// Ends the session (audited `iam.session.revoke`) and clears the cookie.
    func signOut(_ page: ConsoleRequest, cookieValue: String, requestID: String) async throws -> Response {
        if let ended = try await sessions.signOut(cookieValue: cookieValue) {
            try await audit.record(AuditEvent(
                actor: PrincipalID(ended.caller.principalId), action: "iam.session.revoke", target: "console-session:\(ended.id)",
                outcome: .success, requestID: requestID, details: ["key_id": ended.caller.keyId],
                tenant: ended.caller.tenantId, project: ended.caller.projectId))
        }
        var response = redirect(to: "/console/sign-in", notice: "Signed out.")
        response.headers.append(HTTPField(name: .setCookie, value: setCookie(Self.sessionCookie, "", maxAge: 0)))
        return response
    }

    /// The form body of a POST (`application/x-www-form-urlencoded`, at most 1 MiB).
    static func readForm(_ request: inout Request, _ context: PlatformRequestContext) async throws -> ConsoleForm {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw PlatformError(.httpBadRequest, "a console form is sent as application/x-www-form-urlencoded")
        }
        let body = try await request.collectBody(upTo: maximumFormBytes)
        return ConsoleForm(urlEncoded: String(buffer: body))
    }

    /// A POST must come from this origin: `Origin` (or, without it, `Sec-Fetch-Site`) says so
    /// when the browser sends it; SameSite=Strict and the synchronizer token do the rest.
    static func sameOrigin(_ request: Request) -> Bool {
        if let origin = request.headers[.origin], origin != "null" {
            guard let host = request.head.authority else { return false }
            return origin == "http://\(host)" || origin == "https://\(host)"
        }
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] {
            return site == "same-origin" || site == "none"
        }
        return true
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count, !a.isEmpty else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// 32 random bytes, hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.lowercaseHex
    }
}

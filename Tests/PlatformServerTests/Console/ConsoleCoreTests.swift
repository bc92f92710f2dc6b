import Foundation
import HTTPTypes
import PlatformContracts
@testable import PlatformHTTP
import Testing

/// The console's core over the real router of a live `platformd` (in process, real sockets,
/// SQLite): cookies, CSRF, the sign-in form's double-submit token, `next=` returns, asset
/// caching, page headers, and that a console page authorises exactly like the API because it
/// calls the API in process as the session's caller.
@Suite("Console core")
struct ConsoleCoreTests {
    @Test("cookies are HttpOnly, SameSite=Strict, Path=/console and bounded; Secure only behind an https external URL")
    func cookieFlags() async throws {
        try await withConsole { console in
            let (_, _, _, key) = try await console.member(tenant: "acme", project: "web", account: "dev", role: "developer")
            let form = try await console.get("/console/sign-in")
            let signInCookie = try #require(form.setCookie("platform_console_signin"))
            for flag in ["HttpOnly", "SameSite=Strict", "Path=/console", "Max-Age=1800"] { #expect(signInCookie.contains(flag), "\(signInCookie)") }
            #expect(!signInCookie.contains("Secure"))

            let answer = try await Self.postSignIn(console, key: key.key)
            let session = try #require(answer.setCookie("platform_console"))
            for flag in ["HttpOnly", "SameSite=Strict", "Path=/console"] { #expect(session.contains(flag), "\(session)") }
            #expect(!session.contains("Secure"), "plain http: a Secure cookie would never come back")
            let maxAge = try #require(session.split(separator: ";").compactMap { part -> Int? in
                let text = part.trimmingCharacters(in: .whitespaces)
                return text.hasPrefix("Max-Age=") ? Int(text.dropFirst("Max-Age=".count)) : nil
            }.first)
            #expect(maxAge > 7 * 3600 && maxAge <= 8 * 3600, "bounded: eight hours at most, the key lives a day")
        }
        try await withConsole(externalURL: "https://console.example.test") { console in
            let (_, _, _, key) = try await console.member(tenant: "acme", project: "web", account: "dev", role: "developer")
            let form = try await console.get("/console/sign-in")
            #expect(form.setCookie("platform_console_signin")?.contains("; Secure") == true)
            let answer = try await Self.postSignIn(console, key: key.key)
            let session = try #require(answer.setCookie("platform_console"))
            #expect(session.contains("; Secure") && session.contains("HttpOnly") && session.contains("SameSite=Strict"))
        }
    }

    @Test("a page POST without, with a wrong or another session's token, or from another origin is 403 console.csrf_invalid")
    func pageCSRF() async throws {
        try await withConsole { console in
            let (_, _, _, key) = try await console.member(tenant: "acme", project: "web", account: "dev", role: "developer")
            let session = try await console.signIn(key: key.key)
            let other = try await console.signIn(key: key.key)
            #expect(session.csrf != other.csrf, "each session has its own synchronizer token")

            var refusals: [(String, ConsoleFixture.Page)] = []
            refusals.append(("no token", try await console.post("/console/sign-out", [:], session, csrf: .some(nil))))
            refusals.append(("empty token", try await console.post("/console/sign-out", [:], session, csrf: "")))
            refusals.append(("wrong token", try await console.post("/console/sign-out", [:], session, csrf: String(repeating: "0", count: 64))))
            refusals.append(("another session's token", try await console.post("/console/sign-out", [:], session, csrf: other.csrf)))
            var crossOrigin = HTTPFields()
            crossOrigin[.origin] = "https://evil.example"
            refusals.append(("cross-origin Origin", try await console.post("/console/sign-out", [:], session, headers: crossOrigin)))
            var crossSite = HTTPFields()
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            refusals.append(("cross-site Sec-Fetch-Site", try await console.post("/console/sign-out", [:], session, headers: crossSite)))
            for (why, page) in refusals {
                #expect(page.status == .forbidden, "\(why): \(page.status)")
                #expect(page.errorCode == "console.csrf_invalid", "\(why): \(page.errorCode ?? page.body.prefix(300).description)")
                #expect(page.setCookie("platform_console") == nil, "\(why): the session stays")
            }
            // Every refusal left the session signed in.
            let still = try await console.get("/console/", session)
            #expect(still.status == .ok, still.summary)

            // The same POST with the token signs out: the cookie is cleared and the session is gone.
            let out = try await console.post("/console/sign-out", [:], session)
            #expect(out.status == .seeOther && out.location == "/console/sign-in")
            #expect(out.setCookie("platform_console")?.contains("Max-Age=0") == true)
            let flash = try #require(out.cookieValue("platform_console_flash"))
            let signInPage = try await console.send(.get, "/console/sign-in", cookies: ["platform_console_flash=\(flash)"])
            #expect(signInPage.body.contains("Signed out."), "the sign-in page shows the notice once")
            #expect(signInPage.setCookie("platform_console_flash")?.contains("Max-Age=0") == true)
            let after = try await console.get("/console/", session)
            #expect(after.status == .seeOther && after.location?.hasPrefix("/console/sign-in") == true)
            #expect(try await console.get("/console/", other).status == .ok, "only the signed-out session ended")
        }
    }

    @Test("the sign-in form needs its double-submit token from this origin; a bad key is 401 and audited")
    func signInDoubleSubmit() async throws {
        try await withConsole { console in
            let (_, _, _, key) = try await console.member(tenant: "acme", project: "web", account: "dev", role: "developer")
            let token = try #require(try await console.get("/console/sign-in").cookieValue("platform_console_signin"))
            let fields = ["key": key.key, "next": "/console/"]
            var crossOrigin = HTTPFields()
            crossOrigin[.origin] = "https://evil.example"
            let refusals: [(String, ConsoleFixture.Page)] = [
                ("no cookie", try await console.send(.post, "/console/sign-in", form: fields.merging(["csrf": token]) { $1 })),
                ("no field", try await console.send(.post, "/console/sign-in", form: fields, cookies: ["platform_console_signin=\(token)"])),
                ("mismatch", try await console.send(.post, "/console/sign-in", form: fields.merging(["csrf": String(token.reversed())]) { $1 },
                                                    cookies: ["platform_console_signin=\(token)"])),
                ("cross-origin", try await console.send(.post, "/console/sign-in", form: fields.merging(["csrf": token]) { $1 },
                                                        cookies: ["platform_console_signin=\(token)"], headers: crossOrigin)),
            ]
            for (why, page) in refusals {
                #expect(page.status == .forbidden, "\(why): \(page.status)")
                #expect(ConsoleFixture.text(of: "sign-in-problem", in: page.body)?.contains("console.csrf_invalid") == true, "\(why)")
                #expect(page.setCookie("platform_console") == nil, "\(why): no session")
            }

            let wrong = try await Self.postSignIn(console, key: APIKeyToken.generate().text)
            #expect(wrong.status == .unauthorized)
            #expect(ConsoleFixture.text(of: "sign-in-problem", in: wrong.body)?.contains("iam.key_invalid") == true)
            #expect(wrong.setCookie("platform_console") == nil)
            #expect(!wrong.body.contains(key.key))
            let denied = try await console.iam.ok(.get, "/v1/audit/records?action=iam.access.denied&limit=100", key: console.adminKey,
                                                   as: [AuditRecord].self)
            #expect(denied.contains { $0.target == "POST /console/sign-in" && $0.details["code"] == "iam.key_invalid" })

            let good = try await Self.postSignIn(console, key: key.key)
            #expect(good.status == .seeOther && good.cookieValue("platform_console")?.isEmpty == false)
            #expect(good.setCookie("platform_console_signin")?.contains("Max-Age=0") == true, "the form's token is used up")
        }
    }

    @Test("next= returns only to console pages: other sites, scheme-relative and API paths go home")
    func openRedirectRefused() async throws {
        try await withConsole { console in
            let (_, _, _, key) = try await console.member(tenant: "acme", project: "web", account: "dev", role: "developer")
            let hostile = ["https://evil.example/", "//evil.example/console/", "/\\evil.example", "/console/\\\\evil.example",
                           "/console/x?u=https://evil.example", "/v1/whoami", "javascript:alert(1)", ""]
            for next in hostile {
                let answer = try await Self.postSignIn(console, key: key.key, next: next)
                #expect(answer.status == .seeOther && answer.location == "/console/", "next=\(next) → \(answer.location ?? "-")")
                let form = try await console.get("/console/sign-in?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
                #expect(ConsoleFixture.hiddenValue("next", in: form.body) == "/console/", "the form does not carry next=\(next)")
            }
            let kept = try await Self.postSignIn(console, key: key.key, next: "/console/admin/keys")
            #expect(kept.location == "/console/admin/keys")

            // A signed-out visit to a page returns there after sign-in.
            let bounced = try await console.get("/console/usage")
            #expect(bounced.status == .seeOther && bounced.location == "/console/sign-in?next=%2Fconsole%2Fusage")
        }
    }

    @Test("/console redirects to /console/ when signed in; a signed-out POST goes to sign-in and runs nothing")
    func signedOutRouting() async throws {
        try await withConsole { console in
            let (_, _, _, key) = try await console.member(tenant: "acme", project: "web", account: "dev", role: "developer")
            let session = try await console.signIn(key: key.key)
            let bare = try await console.get("/console", session)
            #expect(bare.status == .permanentRedirect && bare.location == "/console/", "\(bare.status) \(bare.location ?? "-")")
            let post = try await console.post("/console/sign-out", [:], nil, csrf: "anything")
            #expect(post.status == .seeOther && post.location?.hasPrefix("/console/sign-in?next=") == true)
            #expect(post.setCookie("platform_console") == nil)
            let records = try await console.iam.ok(.get, "/v1/audit/records?action=iam.session.revoke&limit=10", key: console.adminKey,
                                                    as: [AuditRecord].self)
            #expect(records.isEmpty)
        }
    }

    @Test("assets carry an ETag and revalidation headers and answer 304 to a matching If-None-Match")
    func assetCaching() async throws {
        try await withConsole { console in
            for (file, type) in [("console.css", "text/css"), ("console.js", "text/javascript")] {
                let first = try await console.get("/console/assets/\(file)")
                #expect(first.status == .ok && !first.body.isEmpty)
                #expect(first.headers[.contentType]?.hasPrefix(type) == true)
                #expect(first.headers[.cacheControl] == "public, max-age=3600, must-revalidate")
                #expect(first.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                let etag = try #require(first.headers[.eTag])
                #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count > 10)

                var conditional = HTTPFields()
                conditional[.ifNoneMatch] = etag
                let again = try await console.get("/console/assets/\(file)", headers: conditional)
                #expect(again.status == .notModified && again.body.isEmpty && again.headers[.eTag] == etag)
                conditional[.ifNoneMatch] = "\"stale\""
                #expect(try await console.get("/console/assets/\(file)", headers: conditional).status == .ok)
            }
            for missing in ["nothing.css", "..%2Ftemplates%2Flayout.mustache", "%2E%2E%2F%2E%2E%2FPackage.swift"] {
                let page = try await console.get("/console/assets/\(missing)")
                #expect(page.status == .notFound, "\(missing): \(page.status)")
                #expect(!page.body.contains("{{"), "no template source leaks")
            }
        }
    }

    @Test("pages are no-store with a strict CSP; a signed-out page redirects to sign-in; a stale cookie is cleared")
    func pageHeaders() async throws {
        try await withConsole { console in
            let (_, _, _, key) = try await console.member(tenant: "acme", project: "web", account: "dev", role: "developer")
            let session = try await console.signIn(key: key.key)
            for page in [try await console.get("/console/", session), try await console.get("/console/sign-in")] {
                #expect(page.status == .ok, page.summary)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                #expect(page.headers[.cacheControl] == "no-store")
                let csp = try #require(page.headers[.contentSecurityPolicy])
                for directive in ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "object-src 'none'"] {
                    #expect(csp.contains(directive), "\(directive) in \(csp)")
                }
                #expect(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"))
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(!page.body.contains("<script>"), "no inline script: the CSP would block it")
                #expect(!page.body.contains(">nil<") && !page.body.contains("class=\"flash\""), "no absent value rendered as text")
                #expect(!page.body.contains("id=\"sign-in-problem\""))
            }

            let signedOut = try await console.get("/console/")
            #expect(signedOut.status == .seeOther && signedOut.location == "/console/sign-in?next=%2Fconsole%2F")
            #expect(signedOut.headers[.cacheControl] == "no-store")
            let stale = try await console.send(.get, "/console/", cookies: ["platform_console=\(ULID()).\(String(repeating: "A", count: 43))"])
            #expect(stale.status == .seeOther && stale.location?.hasPrefix("/console/sign-in?next=") == true)
            #expect(stale.setCookie("platform_console")?.contains("Max-Age=0") == true)
            let garbage = try await console.send(.get, "/console/", cookies: ["platform_console=garbage"])
            #expect(garbage.status == .seeOther && garbage.setCookie("platform_console")?.contains("Max-Age=0") == true)

            // Revoking the key signs the browser out at its next request.
            _ = try await console.iam.ok(.post, "/v1/keys/\(key.info.id)/revoke", key: console.adminKey, body: [:], as: APIKeyInfo.self)
            let revoked = try await console.get("/console/", session)
            #expect(revoked.status == .seeOther && revoked.location?.hasPrefix("/console/sign-in") == true)
        }
    }

    @Test("console pages authorise like the API: another tenant's project is 404 iam.not_found, the cookie is no API credential")
    func inProcessTransportAuthorisesLikeTheAPI() async throws {
        try await withConsole { console in
            let (_, projectA, _, keyA) = try await console.member(tenant: "tenant-a", project: "alpha-secret", account: "dev-a", role: "developer")
            let (_, projectB, _, keyB) = try await console.member(tenant: "tenant-b", project: "bravo-own", account: "dev-b", role: "developer")
            let sessionB = try await console.signIn(key: keyB.key)

            // The home page lists B's project only.
            let home = try await console.get("/console/", sessionB)
            #expect(home.status == .ok && home.body.contains("bravo-own"), home.summary)
            #expect(!home.body.contains("alpha-secret") && !home.body.contains(projectA.id))

            // The API answers B's key for A's project with 404 iam.not_found; so does the console page.
            let api = try await console.iam.call(.get, "/v1/projects/\(projectA.id)/instances", key: keyB.key)
            #expect(api.status == .notFound && api.errorCode == "iam.not_found")
            let page = try await console.get("/console/projects/\(projectA.id)/instances", sessionB)
            #expect(page.status == .notFound, "\(page.status)")
            #expect(page.errorCode == "iam.not_found", "\(page.errorCode ?? page.body.prefix(300).description)")
            #expect(!page.body.contains("alpha-secret"))
            let own = try await console.get("/console/projects/\(projectB.id)/instances", sessionB)
            #expect(own.status == .ok, "B's own project page: \(own.status) \(own.errorCode ?? "")")

            // The session cookie is no API credential: /v1 still wants a key.
            let withCookie = try await console.send(.get, "/v1/projects/\(projectB.id)/instances", cookies: [sessionB.cookieHeader])
            #expect(withCookie.status == .unauthorized)
            #expect(withCookie.body.contains("iam.unauthenticated"))
            let sessionA = try await console.signIn(key: keyA.key)
            #expect(try await console.get("/console/projects/\(projectA.id)/instances", sessionA).status == .ok)
        }
    }

    @Test("sign-in and sign-out write iam.session.create and iam.session.revoke naming the session and key")
    func sessionAudit() async throws {
        try await withConsole { console in
            let (_, project, account, key) = try await console.member(tenant: "acme", project: "web", account: "dev", role: "developer")
            let session = try await console.signIn(key: key.key)
            let id = String(session.cookie.prefix { $0 != "." })
            #expect(try await console.post("/console/sign-out", [:], session).status == .seeOther)

            for action in ["iam.session.create", "iam.session.revoke"] {
                let records = try await console.iam.ok(.get, "/v1/audit/records?action=\(action)&limit=100", key: console.adminKey,
                                                        as: [AuditRecord].self)
                let record = try #require(records.first { $0.target == "console-session:\(id)" }, "\(action) for \(id)")
                #expect(record.actor == account.id && record.outcome == .success)
                #expect(record.details["key_id"] == key.info.id)
                #expect(record.project == project.id)
                #expect(!record.details.values.contains { $0.contains(session.cookie) || $0.contains(key.key) }, "no secret in audit")
            }
            // A second sign-out of the same cookie (replayed) revokes nothing and records nothing.
            _ = try await console.post("/console/sign-out", [:], session)
            let revokes = try await console.iam.ok(.get, "/v1/audit/records?action=iam.session.revoke&limit=100", key: console.adminKey,
                                                    as: [AuditRecord].self)
            #expect(revokes.filter { $0.target == "console-session:\(id)" }.count == 1)
        }
    }

    // MARK: Helpers

    /// GETs the sign-in form and posts `key` with its token and `next`.
    static func postSignIn(_ console: ConsoleFixture, key: String, next: String = "/console/") async throws -> ConsoleFixture.Page {
        let form = try await console.get("/console/sign-in")
        let token = try #require(form.cookieValue("platform_console_signin"))
        return try await console.send(.post, "/console/sign-in", form: ["csrf": token, "key": key, "next": next],
                                      cookies: ["platform_console_signin=\(token)"])
    }
}

@Suite("Console rendering")
struct ConsoleRenderingTests {
    @Test("an absent optional in a page model is not rendered as the text nil, and a present one is unwrapped")
    func optionalsAreNotNil() throws {
        let absent: String? = nil
        let present: String? = "here"
        let model: [String: Any] = ["a": absent as Any, "b": present as Any, "rows": [["c": absent as Any, "d": 1]]]
        let cleaned = try #require(ConsoleRenderer.withoutNils(model) as? [String: Any])
        #expect(cleaned["a"] == nil)
        #expect(cleaned["b"] as? String == "here")
        let rows = try #require(cleaned["rows"] as? [Any])
        let row = try #require(rows.first as? [String: Any])
        #expect(row["c"] == nil && row["d"] as? Int == 1)
    }
}

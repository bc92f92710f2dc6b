@testable import AppPlatform
import Foundation
import HTTPTypes
import NIOHTTP1
import PlatformContracts
@testable import PlatformHTTP
import Testing

/// How the web proxy maps a request for an action with `pathPrefix: keep`: the app gets the
/// full `/i/{instance}/{action}/…` path, no `X-Forwarded-Prefix` (nothing was removed), and
/// its redirects, already under the prefix, are not prefixed twice.
@Suite("Connect path prefix in the proxy")
struct ConnectPathPrefixUnitTests {
    @Test("a request under /i/{instance}/{action}/ maps to the app's path by the action's pathPrefix", arguments: [
        ("/i/01ABC/lab/api/kernels?x=1", ConnectPathPrefix.strip, "/api/kernels"),
        ("/i/01ABC/lab/api/kernels?x=1", ConnectPathPrefix.keep, "/i/01ABC/lab/api/kernels"),
        ("/i/01ABC/lab/", ConnectPathPrefix.strip, "/"),
        ("/i/01ABC/lab/", ConnectPathPrefix.keep, "/i/01ABC/lab/"),
        ("/i/01ABC/lab/files/a%2Fb", ConnectPathPrefix.keep, "/i/01ABC/lab/files/a%2Fb"),
    ])
    func mapping(raw: String, prefix: ConnectPathPrefix, expected: String) throws {
        let target = try #require(ProxyTarget(rawPath: raw))
        #expect(prefix.upstreamPath(prefix: target.prefix, rest: target.rest) == expected)
    }

    @Test("keep: no X-Forwarded-Prefix reaches the app; strip: the removed prefix does")
    func forwardedPrefix() {
        var incoming = HTTPFields()
        incoming[.accept] = "text/html"
        let kept = ConnectProxy.upstreamHeaders(incoming, authority: "portal.example", prefix: ConnectPathPrefix.keep.forwardedPrefix("/i/A/lab"))
        let stripped = ConnectProxy.upstreamHeaders(incoming, authority: "portal.example", prefix: ConnectPathPrefix.strip.forwardedPrefix("/i/A/lab"))
        #expect(kept["X-Forwarded-Prefix"].isEmpty && kept["Accept"] == ["text/html"])
        #expect(stripped["X-Forwarded-Prefix"] == ["/i/A/lab"])
    }

    @Test("a redirect already under the prefix (absolute or root-relative) stays; one outside it is moved under it", arguments: [
        ("http://127.0.0.1:9000/i/A/lab/lab?reset", "/i/A/lab/lab?reset"),
        ("http://127.0.0.1:9000/i/A/lab", "/i/A/lab"),
        ("http://127.0.0.1:9000/login", "/i/A/lab/login"),
        ("/i/A/lab/tree", "/i/A/lab/tree"),
        ("/login", "/i/A/lab/login"),
        ("https://elsewhere.example/x", "https://elsewhere.example/x"),
    ])
    func redirects(location: String, expected: String) {
        let target = ConnectTarget(id: "A", projectId: "P", tenantId: "T", phase: .ready, host: "127.0.0.1", ports: ["http": 9000],
                                   actions: [.init(name: "lab", type: "web", endpoint: "http", credentialTTLSeconds: nil, scopes: [],
                                                   pathPrefix: .keep)], connectScopes: [])
        let grant = ConnectGrant(sessionId: "S", target: target, action: target.actions[0], principalId: "U", port: 9000,
                                 expiresAtMs: 1, tokenHash: "h")
        #expect(grant.pathPrefix == .keep)
        #expect(ConnectProxy.rewriteLocation(location, grant: grant, prefix: "/i/A/lab") == expected)
    }
}

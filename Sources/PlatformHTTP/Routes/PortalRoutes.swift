import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformContracts

/// `/portal/`: the developer portal's pages, rendered to HTML at start-up (cmark-gfm, by
/// the composition root) from the checkout's `portal/`. Public like the docs they are: no
/// key needed, nothing secret in them.
public struct PortalRoutes: Sendable {
    let pages: [String: String]
    let unavailable: String?

    /// Serves `pages` (`index.html`, `reference/api.html`, …); when there are none,
    /// `unavailable` says why and every request is a 404 saying it.
    public init(pages: [String: String], unavailable: String? = nil) {
        self.pages = pages
        self.unavailable = unavailable
    }

    /// Registers `/portal` (redirects to `/portal/`, so relative links resolve) and `/portal/**`.
    public func register(on router: Router<PlatformRequestContext>) {
        for path in ["/portal", "/portal/**"] {
            router.get(RouterPath(path)) { request, _ in try page(request) }
        }
    }

    func page(_ request: Request) throws -> Response {
        let raw = String((request.head.path ?? "/portal").split(separator: "?", maxSplits: 1).first ?? "/portal")
        if raw == "/portal" {
            var headers = HTTPFields()
            headers[.location] = "/portal/"
            return Response(status: .permanentRedirect, headers: headers)
        }
        var file = String(raw.dropFirst("/portal/".count)).removingPercentEncoding ?? ""
        if file.isEmpty || file.hasSuffix("/") { file += "index.html" }
        guard let html = pages[file] ?? pages[file + ".html"] else {
            throw PlatformError(.httpNotFound, unavailable ?? "no portal page \(file)")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

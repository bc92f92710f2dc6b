import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformContracts
import Synchronization

/// `/portal/`: the developer portal's pages as HTML, rendered on the first request (by a
/// renderer the composition root passes in: cmark-gfm over the checkout's `portal/`) and
/// kept. Public like the docs they are: no key needed, nothing secret in them.
public final class PortalRoutes: Sendable {
    let render: @Sendable () throws -> [String: String]
    let rendered = Mutex<[String: String]?>(nil)

    /// Serves what `render` returns (`index.html`, `reference/api.html`, …). It runs once, on
    /// the first `/portal/` request, not at start-up; when it throws, that request and the
    /// next ones answer 404 with its reason and it is tried again.
    public init(render: @escaping @Sendable () throws -> [String: String]) {
        self.render = render
    }

    /// Registers `/portal` (redirects to `/portal/`, so relative links resolve) and `/portal/**`.
    public func register(on router: Router<PlatformRequestContext>) {
        for path in ["/portal", "/portal/**"] {
            router.get(RouterPath(path)) { request, _ in try self.page(request) }
        }
    }

    func pages() throws -> [String: String] {
        try rendered.withLock { cached in
            if let cached { return cached }
            do {
                let pages = try render()
                cached = pages
                return pages
            } catch {
                throw PlatformError(.httpNotFound, "no portal pages: \(error)")
            }
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
        let pages = try pages()
        guard let html = pages[file] ?? pages[file + ".html"] else {
            throw PlatformError(.httpNotFound, "no portal page \(file)")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

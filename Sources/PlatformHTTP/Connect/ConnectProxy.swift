import AppPlatform
import AsyncHTTPClient
import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import OCIKit
import PlatformContracts

/// The web data plane: `/i/{instance}/{action}/…` is reverse-proxied to the instance's
/// endpoint for the holder of a live session of exactly that instance and action (the
/// cookie a one-time launch URL set, or `Authorization: Bearer pcs_…`); anyone else gets
/// 404. Bodies stream both ways; the session credential never reaches the app.
public struct ConnectProxy: Sendable {
    /// The session cookie's name; its `Path` is the session's prefix.
    public static let cookieName = "platform_connect"
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-connection",
    ]

    /// The process's upstream client: redirects go back to the browser, bodies pass as they
    /// are; like `HTTPClient.shared` it lives as long as the process, so it needs no shutdown.
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)), decompression: .disabled)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    let connect: ConnectService
    let client: HTTPClient
    let metrics: ConnectMetrics
    let origins: OriginPolicy
    /// Whether the listener itself serves TLS: the session cookie is `Secure` and the app is
    /// told `X-Forwarded-Proto: https` (otherwise both follow a fronting proxy's header).
    public var servesTLS = false

    /// Creates the proxy; `client` must not follow redirects (they go back to the browser).
    public init(connect: ConnectService, client: HTTPClient = ConnectProxy.sharedClient, metrics: ConnectMetrics, origins: OriginPolicy) {
        self.connect = connect
        self.client = client
        self.metrics = metrics
        self.origins = origins
    }

    /// Registers `/connect/{session}/launch` and the proxied prefix on every method.
    public func register(on router: Router<PlatformRequestContext>) {
        router.get("/connect/:session/launch") { request, context in try await launch(request, context) }
        for method: HTTPRequest.Method in [.get, .post, .put, .patch, .delete, .head, .options] {
            for path in ["/i/:instance/:action", "/i/:instance/:action/**"] {
                router.on(RouterPath(path), method: method) { request, context in try await forward(request, context) }
            }
        }
    }

    /// Redeems a one-time launch code: sets the cookie and redirects to the prefix.
    func launch(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let session = try context.parameters.require("session")
        let code = request.uri.queryParameters["code"].map(String.init) ?? ""
        let (grant, cookie) = try await connect.redeem(session: session, code: code, requestID: context.requestID)
        var headers = HTTPFields()
        headers[.location] = grant.path
        let secure = servesTLS || request.headers[Self.forwardedProto] == "https" ? "; Secure" : ""
        headers[.setCookie] = "\(Self.cookieName)=\(cookie); Path=\(grant.path); HttpOnly; SameSite=Lax\(secure)"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: .seeOther, headers: headers)
    }

    func forward(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let raw = request.head.path ?? "/"
        guard let target = ProxyTarget(rawPath: raw) else { throw PlatformError(.httpNotFound, "no such path") }
        if request.headers[.upgrade]?.lowercased().contains("websocket") == true {
            // The WebSocket router refused the upgrade (and audited why).
            if !origins.allows(request.headers[values: .origin]) {
                throw PlatformError(.connectOriginNotAllowed, "WebSocket upgrades must come from the platform's own origin, not \(request.headers[.origin] ?? "")")
            }
            throw PlatformError(.connectSessionNotFound, "no live connect session for this WebSocket")
        }
        let grant = try await connect.authorize(
            credential: Self.credential(request.headers), instance: target.instance, action: target.action, requestID: context.requestID)
        if target.rest.isEmpty {
            var headers = HTTPFields()
            headers[.location] = target.prefix + "/" + target.query
            return Response(status: .permanentRedirect, headers: headers)
        }
        let path = grant.pathPrefix.upstreamPath(prefix: target.prefix, rest: target.rest)
        var upstream = HTTPClientRequest(url: "http://\(grant.host):\(grant.port)\(path)\(target.query)")
        upstream.method = HTTPMethod(rawValue: request.method.rawValue)
        upstream.headers = Self.upstreamHeaders(request.headers, authority: request.head.authority,
                                                prefix: grant.pathPrefix.forwardedPrefix(target.prefix), scheme: servesTLS ? "https" : "http")
        // Plain digits only: a signed length would trap the byte counter (it refuses negatives).
        if let length = request.headers[.contentLength].flatMap({ DecimalField.int64($0) }) {
            metrics.bytesToInstance.increment(by: length)
            upstream.body = .stream(request.body, length: .known(length))
        } else if request.headers[.transferEncoding] != nil {
            upstream.body = .stream(request.body, length: .unknown)
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(upstream, timeout: .seconds(300))
        } catch {
            throw PlatformError(.connectUpstreamUnavailable, "endpoint \(grant.endpoint) of instance \(grant.instanceId) did not answer: \(error)")
        }
        metrics.httpRequests.increment()
        var headers = HTTPFields()
        for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) {
            guard let field = HTTPField.Name(name) else { continue }
            switch field {
            case .location: headers.append(HTTPField(name: field, value: Self.rewriteLocation(value, grant: grant, prefix: target.prefix)))
            case .setCookie:
                if let scoped = Self.scopedSetCookie(value, prefix: target.prefix) { headers.append(HTTPField(name: field, value: scoped)) }
            default: headers.append(HTTPField(name: field, value: value))
            }
        }
        let counter = metrics.bytesFromInstance
        let body = response.body.map { buffer -> ByteBuffer in
            counter.increment(by: buffer.readableBytes)
            return buffer
        }
        return Response(status: HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
                        headers: headers, body: ResponseBody(asyncSequence: body))
    }

    /// The session credential a request presents: `Authorization: Bearer pcs_…`, else the cookie.
    static func credential(_ headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization], authorization.lowercased().hasPrefix("bearer pcs_") {
            return String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        for line in headers[values: .cookie] {
            for pair in line.split(separator: ";") {
                let trimmed = pair.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix(cookieName + "=") { return String(trimmed.dropFirst(cookieName.count + 1)) }
            }
        }
        return nil
    }

    /// The request's headers for the instance: hop-by-hop ones, the session cookie and a
    /// session bearer token removed; `X-Forwarded-*` added (`X-Forwarded-Prefix` only when
    /// the proxy removed a prefix: `prefix` is nil for a `pathPrefix: keep` action).
    /// - Parameter scheme: What the client spoke to this listener when no fronting proxy says (`X-Forwarded-Proto`).
    static func upstreamHeaders(_ incoming: HTTPFields, authority: String?, prefix: String?, scheme: String = "http") -> HTTPHeaders {
        var headers = HTTPHeaders()
        var cookies: [String] = []
        for field in incoming {
            let name = field.name.canonicalName
            if hopByHop.contains(name) || name.hasPrefix("x-forwarded-") { continue }
            if name == "cookie" {
                cookies += field.value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.hasPrefix(cookieName + "=") && !$0.isEmpty }
                continue
            }
            if name == "authorization", field.value.lowercased().hasPrefix("bearer pcs_") { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        if !cookies.isEmpty { headers.add(name: "Cookie", value: cookies.joined(separator: "; ")) }
        if let host = authority { headers.add(name: "X-Forwarded-Host", value: host) }
        headers.add(name: "X-Forwarded-Proto", value: incoming[forwardedProto] ?? scheme)
        if let prefix { headers.add(name: "X-Forwarded-Prefix", value: prefix) }
        return headers
    }

    /// A redirect the app sends stays behind the proxy: `http://host:port/x` of the
    /// instance and a root-relative `/x` outside the prefix both become `PREFIX/x`; either
    /// already under the prefix (what an app with `pathPrefix: keep` sends) stays as it is.
    static func rewriteLocation(_ location: String, grant: ConnectGrant, prefix: String) -> String {
        let origin = "http://\(grant.host):\(grant.port)"
        if location.hasPrefix(origin) {
            let path = String(location.dropFirst(origin.count))
            return path == prefix || path.hasPrefix(prefix + "/") ? path : prefix + path
        }
        if location.hasPrefix("/"), !location.hasPrefix("//"), !location.hasPrefix(prefix + "/") { return prefix + location }
        return location
    }
}

/// `/i/{instance}/{action}{rest}?{query}`, split on the raw (still percent-encoded) path.
struct ProxyTarget {
    var instance: String
    var action: String
    /// `/i/{instance}/{action}`.
    var prefix: String
    /// The path for the instance, `/…`; empty when the request named the bare prefix.
    var rest: String
    /// `?…` or empty.
    var query: String

    init?(rawPath: String) {
        let pathEnd = rawPath.firstIndex(of: "?") ?? rawPath.endIndex
        let path = rawPath[..<pathEnd]
        query = String(rawPath[pathEnd...])
        guard path.hasPrefix("/i/") else { return nil }
        let parts = path.dropFirst(3).split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        instance = String(parts[0])
        action = String(parts[1])
        prefix = ConnectPathPrefix.prefix(instance: instance, action: action)
        rest = parts.count == 3 ? "/" + parts[2] : ""
    }
}

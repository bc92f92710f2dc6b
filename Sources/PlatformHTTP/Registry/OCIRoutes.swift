import ArtifactRegistry
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import OCIKit
import PlatformContracts

/// The OCI Distribution v1.1 API under `/v2/`: authentication with the platform's API keys
/// (HTTP Basic with the key as password, or the Bearer token flow: `/v2/token` exchanges
/// Basic credentials for a bearer token), the spec's error format, and every endpoint of the
/// distribution spec's table, including referrers.
public struct OCIRoutes: Sendable {
    let registry: OCIRegistry
    let identity: any IdentityService
    let audit: any AuditRecorder
    let metrics: PlatformMetrics
    let fileIO = FileIO()

    /// Creates the routes.
    public init(registry: OCIRegistry, identity: any IdentityService, audit: any AuditRecorder, metrics: PlatformMetrics) {
        self.registry = registry
        self.identity = identity
        self.audit = audit
        self.metrics = metrics
    }

    /// Registers `/v2/` and `/v2/**` for every method the spec uses.
    public func register(on router: Router<PlatformRequestContext>) {
        router.get("/v2/token") { request, context in try await token(request, context) }
        for method in [HTTPRequest.Method.get, .head, .post, .patch, .put, .delete] {
            for path in ["/v2", "/v2/**"] {
                router.on(RouterPath(path), method: method) { request, context in
                    await handle(request, context)
                }
            }
        }
    }

    func handle(_ request: Request, _ context: PlatformRequestContext) async -> Response {
        var response: Response
        do {
            guard let path = OCIPath(request.uri.path) else {
                throw PlatformError(.httpNotFound, "no OCI endpoint at \(request.uri.path)")
            }
            let caller = try await authenticate(request, context)
            response = try await dispatch(path, request, context, caller)
        } catch let error as PlatformError {
            response = Self.errorResponse(error, request: request, requestID: context.requestID)
        } catch {
            context.logger.error("registry request failed", metadata: ["error": "\(String(reflecting: error))", "request_id": "\(context.requestID)"])
            response = Self.errorResponse(PlatformError(.internalError, "unexpected server error; see the log for request \(context.requestID)"),
                                          request: request, requestID: context.requestID)
        }
        response.headers[HTTPField.Name("Docker-Distribution-API-Version")!] = "registry/2.0"
        return response
    }

    func authenticate(_ request: Request, _ context: PlatformRequestContext) async throws -> Caller {
        try await AuthenticationMiddleware(identity: identity, audit: audit, metrics: metrics)
            .authenticate(request, requestID: context.requestID, auditMissing: false)
    }

    /// `GET /v2/token`: the Bearer challenge's realm. Exchanges Basic credentials (any user
    /// name, an API key as password) for a bearer token valid as long as the key.
    func token(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        do {
            let caller = try await authenticate(request, context)
            guard let key = AuthenticationMiddleware.presentedKey(request.headers[.authorization]) else {
                throw PlatformError(.iamUnauthenticated, "send the API key as HTTP Basic password")
            }
            let expires = Timestamp(rfc3339: caller.expiresAt).map { Int(($0.millisecondsSinceEpoch / 1000)) - Int(Date().timeIntervalSince1970) } ?? 300
            struct Token: Encodable { var token: String; var access_token: String; var expires_in: Int; var issued_at: String }
            return JSONResponse.make(Token(token: key, access_token: key, expires_in: max(expires, 1), issued_at: Timestamp.now().rfc3339))
        } catch let error as PlatformError {
            var response = Self.errorResponse(error, request: request, requestID: context.requestID)
            if response.status == .unauthorized { response.headers[.wwwAuthenticate] = #"Basic realm="platformd""# }
            return response
        }
    }

    static func errorResponse(_ error: PlatformError, request: Request, requestID: String) -> Response {
        let (code, status) = OCIErrorMapping.map(error.code)
        struct Body: Encodable {
            struct Entry: Encodable { var code: String; var message: String; var detail: [String: String] }
            var errors: [Entry]
        }
        var detail = error.details
        detail["code"] = error.code.rawValue
        detail["requestId"] = requestID
        var response = JSONResponse.make(Body(errors: [.init(code: code, message: error.message, detail: detail)]), status: status)
        if status == .unauthorized {
            let host = request.head.authority ?? "localhost"
            let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!] ?? "http"
            response.headers[.wwwAuthenticate] = #"Bearer realm="\#(scheme)://\#(host)/v2/token",service="platformd""#
        }
        if let size = error.details["size"], status == .rangeNotSatisfiable, let bytes = Int64(size) {
            response.headers[.range] = "0-\(max(bytes - 1, 0))"
        }
        return response
    }
}

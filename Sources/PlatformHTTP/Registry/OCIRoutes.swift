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
/// Basic credentials for a short-lived token scoped to repository actions), the spec's error
/// format, and every endpoint of the distribution spec's table, including referrers.
public struct OCIRoutes: Sendable {
    let registry: OCIRegistry
    let identity: any Authorizer
    let audit: any AuditRecorder
    let metrics: PlatformMetrics
    let tokens: RegistryTokenSigner
    /// `<external URL>/v2/token`: the Bearer challenge's realm, from configuration, never
    /// from the client's `Host` or `X-Forwarded-Proto`.
    let realm: String
    let fileIO = FileIO()
    /// Where blob GETs from a local file park their range for `sendfile(2)` (plain-HTTP
    /// listeners only: the connection must run ``SendfileResponseHandler``); `nil` reads the
    /// file in 256 KiB chunks through the response body.
    public var zeroCopy: ZeroCopyFiles?

    /// Creates the routes.
    /// - Parameters:
    ///   - tokens: Signs and checks the bearer tokens `/v2/token` issues.
    ///   - externalURL: Where clients reach this server (`http://registry.example:8080`).
    public init(registry: OCIRegistry, identity: any Authorizer, audit: any AuditRecorder, metrics: PlatformMetrics,
                tokens: RegistryTokenSigner, externalURL: String) {
        self.registry = registry
        self.identity = identity
        self.audit = audit
        self.metrics = metrics
        self.tokens = tokens
        self.realm = externalURL + "/v2/token"
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
            let credential = try await authenticate(request, context)
            response = try await dispatch(path, request, context, credential)
        } catch let error as PlatformError {
            response = errorResponse(error, request: request, requestID: context.requestID)
        } catch {
            context.logger.error("registry request failed", metadata: ["error": "\(String(reflecting: error))", "request_id": "\(context.requestID)"])
            response = errorResponse(PlatformError(.internalError, "unexpected server error; see the log for request \(context.requestID)"),
                                     request: request, requestID: context.requestID)
        }
        response.headers[HTTPField.Name("Docker-Distribution-API-Version")!] = "registry/2.0"
        return response
    }

    /// HTTP Basic with an API key as password, or `Bearer` with a token from `/v2/token`
    /// (a raw API key as bearer is refused here: keys travel as Basic only).
    func authenticate(_ request: Request, _ context: PlatformRequestContext) async throws -> RegistryCredential {
        let header = request.headers[.authorization]
        if let header, header.lowercased().hasPrefix("bearer ") {
            let presented = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            do {
                guard RegistryTokenSigner.looksLikeToken(presented) else {
                    throw PlatformError(.iamKeyInvalid, "/v2 takes a bearer token from /v2/token, or the API key as HTTP Basic password")
                }
                let claims = try tokens.verify(presented)
                return .token(claims.caller, claims.access)
            } catch let error as PlatformError {
                metrics.countDecision("unauthenticated", scope: "-")
                try? await audit.record(AuditEvent(
                    actor: PrincipalID("anonymous"), action: "iam.access.denied", target: "\(request.method) \(request.uri.path)",
                    outcome: .denied, requestID: context.requestID, details: ["code": error.code.rawValue]))
                throw error
            }
        }
        return .key(try await keyCaller(request, context))
    }

    func keyCaller(_ request: Request, _ context: PlatformRequestContext) async throws -> Caller {
        try await AuthenticationMiddleware(identity: identity, audit: audit, metrics: metrics)
            .authenticate(request, requestID: context.requestID, auditMissing: false)
    }

    /// `GET /v2/token?service=…&scope=repository:NAME:pull,push`: the Bearer challenge's
    /// realm. Exchanges an API key (HTTP Basic password) for a token valid for at most
    /// ``RegistryTokenSigner/lifetimeSeconds`` and only for the requested repository actions
    /// the key may perform now (the Docker token specification's answer).
    func token(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        do {
            let caller = try await keyCaller(request, context)
            let requested = try RegistryScope.parseAll(request.uri.queryParameters.getAll("scope").map { String($0) })
            var granted: [RegistryScope] = []
            for scope in requested {
                if let scope = try await registry.grant(scope, caller: caller) { granted.append(scope) }
            }
            let issued = try tokens.issue(for: caller, access: granted)
            struct Token: Encodable { var token: String; var access_token: String; var expires_in: Int64; var issued_at: String }
            let issuedAt = Timestamp(millisecondsSinceEpoch: UInt64(clamping: issued.claims.iat) * 1_000).rfc3339
            return JSONResponse.make(Token(token: issued.token, access_token: issued.token, expires_in: issued.expiresIn, issued_at: issuedAt))
        } catch let error as PlatformError {
            var response = errorResponse(error, request: request, requestID: context.requestID)
            if response.status == .unauthorized { response.headers[.wwwAuthenticate] = #"Basic realm="platformd""# }
            return response
        }
    }

    func errorResponse(_ error: PlatformError, request: Request, requestID: String) -> Response {
        // The code's own OCI code and status (declared with the code); no code of its own means UNKNOWN.
        let code = (error.code.ociCode ?? .unknown).rawValue, status = error.code.responseStatus
        struct Body: Encodable {
            struct Entry: Encodable { var code: String; var message: String; var detail: [String: String] }
            var errors: [Entry]
        }
        var detail = error.details
        detail["code"] = error.code.rawValue
        detail["requestId"] = requestID
        var response = JSONResponse.make(Body(errors: [.init(code: code, message: error.message, detail: detail)]), status: status)
        if status == .unauthorized || (status == .forbidden && error.details["scope"] != nil) {
            var challenge = #"Bearer realm="\#(realm)",service="platformd""#
            if let scope = error.details["scope"] ?? Self.challengeScope(request) {
                challenge += #",scope="\#(scope)""#
            }
            if error.details["scope"] != nil { challenge += #",error="insufficient_scope""# }
            response.headers[.wwwAuthenticate] = challenge
        }
        if let size = error.details["size"], status == .rangeNotSatisfiable, let bytes = DecimalField.int64(size) {
            response.headers[.range] = "0-\(max(bytes - 1, 0))"
        }
        return response
    }

    /// The scope a request to a repository needs (`pull` to read, `pull,push` to write,
    /// `delete` to delete), for the challenge's `scope` parameter.
    static func challengeScope(_ request: Request) -> String? {
        guard let path = OCIPath(request.uri.path), let name = path.repository, (try? RepositoryReference(name)) != nil else { return nil }
        let actions = switch request.method {
        case .get, .head: "pull"
        case .delete: "delete"
        default: "pull,push"
        }
        return "repository:\(name):\(actions)"
    }
}

/// How a `/v2` request authenticated.
enum RegistryCredential: Sendable {
    /// An API key (HTTP Basic): the key's scopes decide.
    case key(Caller)
    /// A token from `/v2/token`: its `access` claim bounds what the key's scopes allow.
    case token(Caller, [RegistryScope])

    var caller: Caller {
        switch self {
        case .key(let caller), .token(let caller, _): caller
        }
    }

    /// Whether the credential covers `action` on repository `name`, the repository's id form
    /// (a key always does; its scopes are checked by the registry).
    func covers(_ name: String, _ action: RegistryAction) -> Bool {
        switch self {
        case .key: true
        case .token(_, let access):
            access.contains { $0.type == "repository" && $0.name == name && $0.actions.contains(action.rawValue) }
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Metrics
import PlatformContracts

/// Authenticates every `/v1` request: `Authorization: Bearer <key>`, or HTTP Basic with
/// the key as password (what OCI clients send). Failures are 401, audited and counted;
/// a store failure is an error (503), never a pass.
public struct AuthenticationMiddleware: RouterMiddleware {
    let identity: any Authorizer
    let audit: any AuditRecorder
    let metrics: PlatformMetrics

    /// Creates the middleware.
    public init(identity: any Authorizer, audit: any AuditRecorder, metrics: PlatformMetrics) {
        self.identity = identity
        self.audit = audit
        self.metrics = metrics
    }

    /// Sets `context.caller` or refuses the request.
    public func handle(
        _ request: Request, context: PlatformRequestContext,
        next: (Request, PlatformRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.caller = try await authenticate(request, requestID: context.requestID, auditMissing: true)
        return try await next(request, context)
    }

    /// Resolves the presented key to its caller; refusals are audited and counted, a store
    /// failure is counted as an error and rethrown (never a pass).
    /// - Parameter auditMissing: Whether a request without credentials is audited too (the
    ///   registry's unauthenticated `/v2/` ping, step one of every OCI client, is not).
    func authenticate(_ request: Request, requestID: String, auditMissing: Bool) async throws -> Caller {
        do {
            guard let key = Self.presentedKey(request.headers[.authorization]) else {
                throw PlatformError(.iamUnauthenticated, "this route needs an API key: Authorization: Bearer <key>")
            }
            return try await identity.authenticate(keyText: key)
        } catch let error as PlatformError where [.iamUnauthenticated, .iamKeyMalformed, .iamKeyInvalid].contains(error.code) {
            guard auditMissing || error.code != .iamUnauthenticated else { throw error }
            metrics.countDecision("unauthenticated", scope: "-")
            try? await audit.record(AuditEvent(
                actor: PrincipalID("anonymous"), action: "iam.access.denied", target: "\(request.method) \(request.uri.path)",
                outcome: .denied, requestID: requestID, details: ["code": error.code.rawValue]))
            throw error
        } catch {
            metrics.countDecision("error", scope: "-")
            throw error
        }
    }

    static func presentedKey(_ header: String?) -> String? {
        guard let header else { return nil }
        if header.lowercased().hasPrefix("bearer ") {
            return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        if header.lowercased().hasPrefix("basic "),
           let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
           let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") {
            return String(text[text.index(after: colon)...])
        }
        return nil
    }
}

extension PlatformMetrics {
    /// Counts one authorization decision: `authz_decisions_total{decision, scope}`.
    public func countDecision(_ decision: String, scope: String) {
        Counter(label: "authz_decisions_total", dimensions: [("decision", decision), ("scope", scope)], factory: factory)
            .increment()
    }
}

import HTTPTypes
import Hummingbird
import PlatformContracts

/// Registers `/v1` routes from the ``PlatformAPI`` table: each handler runs only after the
/// caller's key is checked for the route's scope; denials are audited, counted and 403.
///
/// IAM is asked each question once per request: authentication in the middleware, one
/// ``Authorizer/authorize(_:)`` whose ``Grants`` decide the route's scope and stay in the
/// context for any further scope the handler needs, and one project lookup for `:project`
/// (out of reach: 404 ``ErrorCode/iamNotFound`` before the body is read).
public struct SecuredRouter: Sendable {
    /// A route handler that receives the authenticated caller.
    public typealias Handler = @Sendable (Request, PlatformRequestContext, Caller) async throws -> Response

    let identity: any Authorizer
    let audit: any AuditRecorder
    let metrics: PlatformMetrics

    /// Creates the registrar.
    public init(identity: any Authorizer, audit: any AuditRecorder, metrics: PlatformMetrics) {
        self.identity = identity
        self.audit = audit
        self.metrics = metrics
    }

    /// Registers every route of the table on a router, under authentication.
    /// - Throws: ``ErrorCode/internalError`` at start-up when `handlers` does not have exactly
    ///   one handler per route of ``PlatformAPI/routes`` (a wiring mistake, reported, not trapped).
    public func register(_ handlers: [APIRoute: Handler], on router: Router<PlatformRequestContext>) throws(PlatformError) {
        let routes = Set(PlatformAPI.routes), handled = Set(handlers.keys)
        guard handled == routes else {
            let missing = routes.subtracting(handled).map(\.description).sorted()
            let extra = handled.subtracting(routes).map(\.description).sorted()
            throw PlatformError(.internalError, "every API route needs exactly one handler; missing: \(missing), not in the table: \(extra)")
        }
        let group = router.group().add(middleware: AuthenticationMiddleware(identity: identity, audit: audit, metrics: metrics))
        for route in PlatformAPI.routes {
            guard let handler = handlers[route] else { continue }
            group.on(RouterPath(route.path), method: route.method) { request, context in
                var context = context
                context.canonicaliseIdentifierParameters()
                guard let caller = context.caller else {
                    throw PlatformError(.iamUnauthenticated, "this route needs an API key")
                }
                if let scope = route.scope {
                    let grants: Grants
                    do {
                        grants = try await identity.authorize(caller)
                    } catch {
                        metrics.countDecision("error", scope: scope)
                        throw error
                    }
                    context.grants = grants
                    if case .deny(let reason) = grants.decision(for: scope) {
                        metrics.countDecision("deny", scope: scope)
                        try? await audit.record(AuditEvent(
                            actor: PrincipalID(caller.principalId), action: "iam.access.denied", target: route.description,
                            outcome: .denied, requestID: context.requestID,
                            details: ["scope": scope, "reason": reason], tenant: caller.tenantId,
                            project: caller.projectId))
                        throw PlatformError(.iamForbidden, "\(reason); \(route) needs \(scope)")
                    }
                    metrics.countDecision("allow", scope: scope)
                }
                try RequestText.checkParameters(request, context)
                // One project lookup per request: handlers and services take the resolved value.
                if let reference = context.parameters.get("project") {
                    context.project = try await identity.project(reference, visibleTo: caller)
                }
                return try await handler(request, context, caller)
            }
        }
    }
}

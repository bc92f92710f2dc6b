import Foundation
import HTTPTypes
import Hummingbird
import PlatformAPI
import PlatformContracts

/// Registers the `/v1` endpoints of PlatformAPI with their bound handlers (``V1Routes``):
/// each handler runs only after the caller's key is checked for the endpoint's scope; denials
/// are audited, counted and 403.
///
/// IAM is asked each question once per request: authentication in the middleware, one
/// ``Authorizer/authorize(_:)`` whose ``Grants`` decide the endpoint's scope and stay in the
/// context for any further scope the handler needs, and one project lookup for `{project}`
/// (out of reach: 404 ``ErrorCode/iamNotFound`` before the body is read).
public struct SecuredRouter: Sendable {
    let identity: any Authorizer
    let audit: any AuditRecorder
    let metrics: PlatformMetrics

    /// Creates the registrar.
    public init(identity: any Authorizer, audit: any AuditRecorder, metrics: PlatformMetrics) {
        self.identity = identity
        self.audit = audit
        self.metrics = metrics
    }

    /// Registers every operation's binding on a router, under authentication. The bindings
    /// come from one exhaustive switch, so there is nothing to look up and nothing missing.
    /// - Throws: ``ErrorCode/internalError`` at start-up when an operation is bound to
    ///   another's endpoint (see ``V1Routes/bindings()``): reported, not trapped.
    /// - Parameter callers: Who authenticates the caller: the presented API key (the `/v1`
    ///   edge), or the web console, which resolves its session to the same ``Caller`` first and
    ///   sends its pages' calls through this router in process (``ConsoleTransport``).
    public func register(_ routes: V1Routes, on router: Router<PlatformRequestContext>, callers: CallerSource = .apiKey) throws(PlatformError) {
        let bindings = try routes.bindings()
        let group: RouterGroup<PlatformRequestContext>
        switch callers {
        case .apiKey: group = router.group().add(middleware: AuthenticationMiddleware(identity: identity, audit: audit, metrics: metrics))
        case .consoleSession: group = router.group()
        }
        for binding in bindings {
            let endpoint = binding.endpoint
            group.on(RouterPath(endpoint.path.routerPattern), method: endpoint.method) { request, context in
                var context = context
                context.canonicalisePathParameters()
                guard let caller = context.caller else {
                    throw PlatformError(.iamUnauthenticated, "this route needs an API key")
                }
                if let scope = endpoint.scope {
                    context.grants = try await authorize(caller, for: scope, endpoint: endpoint, requestID: context.requestID)
                }
                try RequestText.checkParameters(request, context)
                // One project lookup per request: handlers and services take the resolved value.
                if endpoint.pathType.parameters.contains(.project), let reference = context.parameters.get(PathParameter.project.rawValue) {
                    context.project = try await identity.project(reference, visibleTo: caller)
                }
                return try await binding.respond(request, context, caller)
            }
        }
    }

    /// Where a request's ``Caller`` comes from.
    public enum CallerSource: Sendable {
        /// `Authorization: Bearer` (or Basic) with an API key, checked by ``AuthenticationMiddleware``.
        case apiKey
        /// Set on the context by the console from a live ``WebSession`` before dispatch; a
        /// request without one is refused like a request without a key.
        case consoleSession
    }

    /// The caller's grants, after checking they hold `scope`; a denial is counted, audited and 403.
    func authorize(_ caller: Caller, for scope: String, endpoint: any EndpointDescribing, requestID: String) async throws -> Grants {
        let grants: Grants
        do {
            grants = try await identity.authorize(caller)
        } catch {
            metrics.countDecision("error", scope: scope)
            throw error
        }
        if case .deny(let reason) = grants.decision(for: scope) {
            metrics.countDecision("deny", scope: scope)
            // The route as the router spells it (`:name`), as the audit log always has.
            let route = "\(endpoint.method) \(endpoint.path.routerPattern)"
            try? await audit.record(AuditEvent(
                actor: PrincipalID(caller.principalId), action: "iam.access.denied", target: route,
                outcome: .denied, requestID: requestID, details: ["scope": scope, "reason": reason], tenant: caller.tenantId,
                project: caller.projectId))
            throw PlatformError(.iamForbidden, "\(reason); \(route) needs \(scope)")
        }
        metrics.countDecision("allow", scope: scope)
        return grants
    }
}

extension PlatformRequestContext {
    /// Every path parameter percent-decoded once (a client encodes each value as one segment,
    /// as ``PathTemplate/path(_:)`` does: a digest's `:` may arrive as `%3A`, a project name's
    /// `/` as `%2F`), then every ULID-shaped identifier in its canonical form. Handlers, the
    /// text policy and the project lookup all see this one spelling.
    mutating func canonicalisePathParameters() {
        for (name, value) in coreContext.parameters where value.contains("%") {
            if let decoded = value.removingPercentEncoding { coreContext.parameters[name] = Substring(decoded) }
        }
        canonicaliseIdentifierParameters()
    }
}

import Hummingbird
import PlatformContracts

/// Builds `platformd`'s router: the middleware chain (request id → metrics → errors, so metrics see the final status) and
/// every route group.
public enum PlatformRouter {
    /// Assembles the router.
    /// - Parameters:
    ///   - operations: `/livez`, `/readyz`, `/metrics`, `/version`.
    ///   - metrics: Where request metrics go.
    ///   - api: The `/v1` registrar and the handlers bound to the endpoints, when the IAM services are wired.
    ///   - registry: The OCI Distribution API under `/v2/`.
    ///   - connect: The web proxy under `/i/` and the launch redirect under `/connect/`.
    ///   - portal: The developer portal's HTML under `/portal/`.
    ///   - console: The web console under `/console/`.
    public static func make(
        operations: OperationsRoutes, metrics: PlatformMetrics,
        api: (SecuredRouter, V1Routes)? = nil,
        registry: OCIRoutes? = nil,
        connect: ConnectProxy? = nil,
        portal: PortalRoutes? = nil,
        console: ConsoleRoutes? = nil
    ) throws(PlatformError) -> Router<PlatformRequestContext> {
        let router = Router(context: PlatformRequestContext.self)
        router.addMiddleware {
            RequestIDMiddleware()
            RequestMetricsMiddleware(metrics: metrics)
            ErrorMiddleware()
        }
        operations.register(on: router)
        if let (secured, routes) = api {
            try secured.register(routes, on: router)
        }
        registry?.register(on: router)
        connect?.register(on: router)
        portal?.register(on: router)
        console?.register(on: router)
        return router
    }
}

import Hummingbird
import PlatformContracts

/// Builds `platformd`'s router: the middleware chain (request id → metrics → errors, so metrics see the final status) and
/// every route group.
public enum PlatformRouter {
    /// Assembles the router.
    /// - Parameters:
    ///   - operations: `/livez`, `/readyz`, `/metrics`, `/version`.
    ///   - metrics: Where request metrics go.
    public static func make(operations: OperationsRoutes, metrics: PlatformMetrics) -> Router<PlatformRequestContext> {
        let router = Router(context: PlatformRequestContext.self)
        router.addMiddleware {
            RequestIDMiddleware()
            RequestMetricsMiddleware(metrics: metrics)
            ErrorMiddleware()
        }
        operations.register(on: router)
        return router
    }
}

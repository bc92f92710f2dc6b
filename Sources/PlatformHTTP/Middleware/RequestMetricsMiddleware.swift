import CoreMetrics
import Hummingbird
import Metrics

/// Counts requests and records their latency per route template, method and status:
/// `http_requests_total`, `http_request_duration_seconds` (histogram) and
/// `http_requests_in_flight`.
public struct RequestMetricsMiddleware: RouterMiddleware {
    private let factory: any MetricsFactory

    /// Creates the middleware.
    /// - Parameter metrics: Where the metrics go.
    public init(metrics: PlatformMetrics) {
        self.factory = metrics.factory
    }

    /// Measures one request.
    public func handle(
        _ request: Request, context: PlatformRequestContext,
        next: (Request, PlatformRequestContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let method = request.method.rawValue
        let inFlight = Meter(label: "http_requests_in_flight", dimensions: [("method", method)], factory: factory)
        inFlight.increment()
        defer { inFlight.decrement() }
        let response = try await next(request, context)
        // Unmatched paths share one label so scanners cannot blow up the label space.
        let route = context.endpointPath ?? "unmatched"
        let dimensions = [("method", method), ("route", route), ("status", String(response.status.code))]
        Counter(label: "http_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(label: "http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
            .recordInterval(since: start)
        return response
    }
}

extension Timer {
    fileprivate func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}

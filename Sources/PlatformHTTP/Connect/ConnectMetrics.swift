import CoreMetrics

/// What the connect data plane exports at `/metrics`: active sessions, open tunnels and
/// WebSockets, proxied requests by kind and proxied bytes by direction.
public struct ConnectMetrics: Sendable {
    let httpRequests: Counter
    let webSockets: Counter
    let tunnels: Counter
    let bytesToInstance: Counter
    let bytesFromInstance: Counter
    let activeSessions: Gauge
    let openTunnels: Gauge

    /// Creates the metrics in `metrics`' registry.
    public init(_ metrics: PlatformMetrics) {
        let factory = metrics.factory
        func requests(_ kind: String) -> Counter {
            Counter(label: "platform_connect_requests_total", dimensions: [("kind", kind)], factory: factory)
        }
        httpRequests = requests("http")
        webSockets = requests("websocket")
        tunnels = requests("tunnel")
        bytesToInstance = Counter(label: "platform_connect_bytes_total", dimensions: [("direction", "to_instance")], factory: factory)
        bytesFromInstance = Counter(label: "platform_connect_bytes_total", dimensions: [("direction", "from_instance")], factory: factory)
        activeSessions = Gauge(label: "platform_connect_sessions_active", factory: factory)
        openTunnels = Gauge(label: "platform_connect_tunnels_open", factory: factory)
    }

    /// Sets the active-session gauge (the connect service's observer).
    public func setActiveSessions(_ count: Int) { activeSessions.record(count) }
}

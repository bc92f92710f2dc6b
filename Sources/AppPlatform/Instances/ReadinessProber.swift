import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Asks whether an instance's readiness endpoint answers: the supervisor moves `running`
/// to `ready` on a yes. A protocol so tests inject answers instead of serving HTTP.
public protocol ReadinessProber: Sendable {
    /// Whether `http://host:port/path` answers ready now.
    func isReady(host: String, port: Int, path: String) async -> Bool
}

/// The production prober: a `GET` that answers 2xx or 3xx within a second.
public struct HTTPReadinessProber: ReadinessProber {
    /// Creates the prober.
    public init() {}

    /// Whether the probe answers 2xx/3xx within a second.
    public func isReady(host: String, port: Int, path: String) async -> Bool {
        var request = HTTPClientRequest(url: "http://\(host):\(port)\(path.hasPrefix("/") ? "" : "/")\(path)")
        request.method = .GET
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(1))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<400).contains(Int(response.status.code))
        } catch {
            return false
        }
    }
}

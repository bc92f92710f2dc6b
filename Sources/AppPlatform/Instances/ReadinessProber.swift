import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import PlatformContracts

/// Asks whether an instance's health endpoint answers: the supervisor moves `running` to
/// `ready` on a yes to the readiness probe, and asks the startup and liveness probes the same
/// way. A protocol so tests inject answers instead of serving HTTP.
public protocol ReadinessProber: Sendable {
    /// Whether `http://host:port/path` answers ready now.
    func isReady(host: String, port: Int, path: String) async -> Bool

    /// Whether one probe passes now: an HTTP `GET` for http endpoints, a TCP connect for tcp
    /// ones, within the probe's timeout. The default asks ``isReady(host:port:path:)`` (a
    /// scripted prober answers every kind alike).
    func probe(_ target: ProbeTarget) async -> Bool
}

extension ReadinessProber {
    public func probe(_ target: ProbeTarget) async -> Bool {
        await isReady(host: target.host, port: target.port, path: target.path)
    }
}

/// One probe to make: where, how and how long it may take.
public struct ProbeTarget: Sendable, Hashable {
    /// How a probe asks.
    public enum Kind: String, Sendable, Codable, Hashable {
        /// `GET path`, passing on 2xx or 3xx.
        case http
        /// A TCP connect, passing once accepted.
        case tcp
    }

    /// HTTP or TCP.
    public var kind: Kind
    /// The instance's address.
    public var host: String
    /// The allocated port.
    public var port: Int
    /// The HTTP path (unused for TCP).
    public var path: String
    /// How long the probe may take before it counts as failed (`timeoutSeconds`).
    public var timeout: Duration

    /// Creates a target.
    public init(kind: Kind, host: String, port: Int, path: String, timeout: Duration = .seconds(1)) {
        self.kind = kind
        self.host = host
        self.port = port
        self.path = path
        self.timeout = timeout
    }
}

/// The production prober: a `GET` that answers 2xx or 3xx, or a TCP connect, within the probe's timeout.
public struct HTTPReadinessProber: ReadinessProber {
    /// Creates the prober.
    public init() {}

    /// Whether the probe answers 2xx/3xx within a second.
    public func isReady(host: String, port: Int, path: String) async -> Bool {
        await probe(ProbeTarget(kind: .http, host: host, port: port, path: path))
    }

    /// Whether the probe passes within its timeout.
    public func probe(_ target: ProbeTarget) async -> Bool {
        switch target.kind {
        case .tcp:
            return await TCPConnectProbe.accepts(host: target.host, port: target.port, timeout: target.timeout)
        case .http:
            let path = target.path
            var request = HTTPClientRequest(url: "http://\(target.host):\(target.port)\(path.hasPrefix("/") ? "" : "/")\(path)")
            request.method = .GET
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(target.timeout.wholeMilliseconds)))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                return (200..<400).contains(Int(response.status.code))
            } catch {
                return false
            }
        }
    }
}

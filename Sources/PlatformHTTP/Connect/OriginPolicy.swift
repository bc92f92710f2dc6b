import Foundation
import HTTPTypes

/// Which browser origins may open WebSockets through the platform.
///
/// A browser sends the cookie of a connect session with any page's WebSocket request, so an
/// upgrade under `/i/…` from another site's page would ride the user's session (cross-site
/// WebSocket hijacking). Browsers always send `Origin` on WebSocket requests; it must name
/// the platform itself: the configured external URL's origin (and the listen address's).
/// The client's `Host` is not consulted, since the client controls it. Requests without
/// `Origin` come from programs (appctl's tunnel, curl), which carry no ambient cookie risk.
public struct OriginPolicy: Sendable, Equatable {
    /// Allowed origins, normalised (`scheme://host[:port]`, lowercase, default ports dropped).
    public let allowed: Set<String>

    /// A policy allowing exactly these origins (URLs; any path is ignored).
    public init(origins: [String]) {
        allowed = Set(origins.compactMap(Self.normalise))
    }

    /// Whether an upgrade carrying these `Origin` values may proceed: each must pass.
    public func allows(_ origins: [String]) -> Bool {
        origins.allSatisfy { allows($0) }
    }

    /// Whether an upgrade carrying `origin` may proceed.
    ///
    /// A page's origin is `http`, `https` or `null`; only those can carry a browser's cookie.
    /// A `ws://`/`wss://` origin is what WebSocket libraries (appctl's tunnel among them)
    /// put there, never a browser, so it passes like a missing one.
    public func allows(_ origin: String?) -> Bool {
        guard let origin else { return true }
        if let scheme = URLComponents(string: origin.trimmingCharacters(in: .whitespaces))?.scheme?.lowercased(),
           scheme == "ws" || scheme == "wss" { return true }
        guard let normalised = Self.normalise(origin) else { return false }
        return allowed.contains(normalised)
    }

    /// `scheme://host[:port]` of a URL or origin, or nil (`null` origins and garbage).
    static func normalise(_ text: String) -> String? {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
              let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = components.host?.lowercased(), !host.isEmpty else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = components.port.flatMap { $0 == defaultPort ? nil : $0 }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed)\(port.map { ":\($0)" } ?? "")"
    }
}

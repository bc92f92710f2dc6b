/// What an app receives of a request to `/i/{instance}/{action}/x` (a connect action's
/// `pathPrefix` in the manifest). Most apps serve at `/` and get `/x`; apps that build their
/// links from a base URL (JupyterLab's `--ServerApp.base_url`, TensorBoard's `--path_prefix`)
/// must see the whole path, or every link their pages make points outside the proxy.
public enum ConnectPathPrefix: String, Sendable, Hashable, Codable, CaseIterable {
    /// The proxy removes `/i/{instance}/{action}` (the default).
    case strip
    /// The app receives the full path; its manifest passes `${connect.ACTION.path}` as its base URL.
    case keep

    /// The proxy's prefix of an instance's connect action, `/i/{instance}/{action}` (no
    /// trailing slash): where the web proxy serves it, what `${connect.ACTION.path}` gives an
    /// app (with a trailing slash) and where a `keep` action's probes go.
    public static func prefix(instance: String, action: String) -> String {
        "/i/\(instance)/\(action)"
    }

    /// The path to request from the app for `rest` (`/x`, or empty for the bare prefix) under
    /// `prefix` (`/i/{instance}/{action}`, no trailing slash).
    public func upstreamPath(prefix: String, rest: String) -> String {
        let path = rest.isEmpty ? "/" : rest
        switch self {
        case .strip: return path
        case .keep: return prefix + path
        }
    }

    /// The `X-Forwarded-Prefix` to send: the prefix the proxy removed, or nil when it removed
    /// none (a framework that honours the header would otherwise prepend it twice).
    public func forwardedPrefix(_ prefix: String) -> String? {
        self == .strip ? prefix : nil
    }
}

import Foundation

extension ConnectProxy {
    /// An app's `Set-Cookie` scoped to its session prefix, or nil to drop it.
    ///
    /// Every instance is served from the platform's one origin, so an unfiltered cookie from
    /// one app would reach the platform and every other app (and could overwrite the
    /// session cookie itself). So: the platform's cookie name and the `__Host-` prefix
    /// (which demands `Path=/`) are dropped; `Domain` is removed (host-only); `Path` is
    /// placed under the prefix (`/` becomes `PREFIX/`, `/x` becomes `PREFIX/x`, a path already
    /// under the prefix stays); every other attribute passes as it was.
    static func scopedSetCookie(_ value: String, prefix: String) -> String? {
        let parts = value.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { return nil }
        let name = pair[..<equals].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name != cookieName, !name.hasPrefix("__Host-") else { return nil }
        var attributes: [String] = []
        var path: String?
        for attribute in parts.dropFirst() where !attribute.isEmpty {
            let key = attribute.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            switch key {
            case "domain": continue
            case "path":
                path = attribute.split(separator: "=", maxSplits: 1).dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) }
            default: attributes.append(attribute)
            }
        }
        let scoped: String
        if let path, path == prefix || path.hasPrefix(prefix + "/") {
            scoped = path
        } else if let path, path.hasPrefix("/") {
            scoped = prefix + path
        } else {
            scoped = prefix + "/"
        }
        return ([pair, "Path=\(scoped)"] + attributes).joined(separator: "; ")
    }
}

import Foundation

/// A `/v2/…` request path split into repository name and endpoint. Names may contain
/// slashes, so the endpoint is recognised from the end of the path.
enum OCIPath: Equatable {
    case base
    case blob(name: String, digest: String)
    case uploads(name: String)
    case upload(name: String, id: String)
    case manifest(name: String, reference: String)
    case tags(name: String)
    case referrers(name: String, digest: String)

    init?(_ path: String) {
        guard path.hasPrefix("/v2") else { return nil }
        let rest = path.dropFirst(3)
        if rest.isEmpty || rest == "/" { self = .base; return }
        guard rest.hasPrefix("/") else { return nil }
        // Segments are percent-decoded after the split, as distribution does (`sha256%3A…`
        // is `sha256:…`), so an encoded `/` stays inside its segment; bad escapes match nothing.
        var parts: [String] = []
        for segment in rest.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let decoded = String(segment).removingPercentEncoding else { return nil }
            parts.append(decoded)
        }
        if parts.last == "" { parts.removeLast(); parts.append("") }
        let count = parts.count
        func name(dropping suffix: Int) -> String? {
            let head = parts.prefix(count - suffix)
            return head.isEmpty || head.contains("") ? nil : head.joined(separator: "/")
        }
        if count >= 3, parts[count - 2] == "tags", parts[count - 1] == "list", let name = name(dropping: 2) {
            self = .tags(name: name)
        } else if count >= 4, parts[count - 3] == "blobs", parts[count - 2] == "uploads", let name = name(dropping: 3) {
            self = parts[count - 1].isEmpty ? .uploads(name: name) : .upload(name: name, id: parts[count - 1])
        } else if count >= 3, parts[count - 2] == "blobs", parts[count - 1] == "uploads", let name = name(dropping: 2) {
            self = .uploads(name: name)
        } else if count >= 3, parts[count - 2] == "blobs", let name = name(dropping: 2), !parts[count - 1].isEmpty {
            self = .blob(name: name, digest: parts[count - 1])
        } else if count >= 3, parts[count - 2] == "manifests", let name = name(dropping: 2), !parts[count - 1].isEmpty {
            self = .manifest(name: name, reference: parts[count - 1])
        } else if count >= 3, parts[count - 2] == "referrers", let name = name(dropping: 2), !parts[count - 1].isEmpty {
            self = .referrers(name: name, digest: parts[count - 1])
        } else {
            return nil
        }
    }
}

extension OCIPath {
    /// The repository the path addresses; `nil` for `/v2/`.
    var repository: String? {
        switch self {
        case .base: nil
        case .blob(let name, _), .uploads(let name), .upload(let name, _), .manifest(let name, _), .tags(let name), .referrers(let name, _):
            name
        }
    }
}

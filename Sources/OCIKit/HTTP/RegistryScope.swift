import PlatformContracts

/// One resource scope of the Docker token protocol, `repository:<name>:<action>[,<action>…]`
/// (`scope=` on `/v2/token`), which is also the shape of a token's `access` claim entries.
///
/// Pure and total, like ``ByteRange``: any text gives scopes or ``ErrorCode/httpParameterInvalid``.
///
/// ```swift
/// let scopes = try RegistryScope.parseAll(["repository:p1/app:pull,push"])
/// scopes[0].actions   // ["pull", "push"]
/// ```
public struct RegistryScope: Codable, Sendable, Hashable {
    /// `repository` (other types are parsed and never granted).
    public var type: String
    /// The resource name, e.g. the repository `<project>/app`.
    public var name: String
    /// The actions asked for or granted (`pull`, `push`, `delete`, `*`).
    public var actions: [String]

    /// Creates a scope.
    public init(type: String, name: String, actions: [String]) {
        self.type = type
        self.name = name
        self.actions = actions
    }

    /// The scope's wire form.
    public var description: String { "\(type):\(name):\(actions.joined(separator: ","))" }

    /// The most scopes one token request may carry.
    public static let maximumCount = 16

    /// Parses one `type:name:actions` scope; the name may itself contain `:` (a registry host
    /// with a port), so the type ends at the first colon and the actions start after the last.
    /// - Throws: ``ErrorCode/httpParameterInvalid`` when a part is empty or longer than 512 bytes.
    public static func parse(_ text: String) throws(PlatformError) -> RegistryScope {
        let shown = String(text.prefix(80))
        guard text.utf8.count <= 512, let first = text.firstIndex(of: ":"), let last = text.lastIndex(of: ":"), first < last else {
            throw PlatformError(.httpParameterInvalid, "scope \"\(shown)\" is not type:name:actions", details: ["parameter": "scope"])
        }
        let type = String(text[..<first])
        let name = String(text[text.index(after: first)..<last])
        let actions = text[text.index(after: last)...].split(separator: ",").map(String.init)
        guard !type.isEmpty, !name.isEmpty, !actions.isEmpty, actions.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 32 }) else {
            throw PlatformError(.httpParameterInvalid, "scope \"\(shown)\" is not type:name:actions", details: ["parameter": "scope"])
        }
        return RegistryScope(type: type, name: name, actions: actions)
    }

    /// Parses every `scope` parameter value, each possibly holding several space-separated scopes.
    /// - Throws: ``ErrorCode/httpParameterInvalid`` for a malformed scope or more than ``maximumCount``.
    public static func parseAll(_ values: [String]) throws(PlatformError) -> [RegistryScope] {
        let texts = values.flatMap { $0.split(separator: " ").map(String.init) }
        guard texts.count <= maximumCount else {
            throw PlatformError(.httpParameterInvalid, "at most \(maximumCount) scopes per token request", details: ["parameter": "scope"])
        }
        var scopes: [RegistryScope] = []
        for text in texts { scopes.append(try parse(text)) }
        return scopes
    }
}

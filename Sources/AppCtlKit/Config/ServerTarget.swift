import PlatformContracts

/// The server and token a command talks to, resolved from (highest first) flags,
/// `APPCTL_SERVER`/`APPCTL_TOKEN`, the `--context` or current context.
public struct ServerTarget: Sendable, Equatable {
    /// Base URL without a trailing slash.
    public var server: String
    /// API key, if any.
    public var token: String?

    /// Creates a target.
    public init(server: String, token: String?) {
        self.server = server
        self.token = token
    }

    /// Resolves the target.
    /// - Throws: ``ErrorCode/clientNoServer``, ``ErrorCode/clientContextNotFound``.
    public static func resolve(_ options: GlobalOptions, in context: CommandContext) throws -> ServerTarget {
        let named = try activeContext(options, in: context)
        let server = options.server ?? context.environment["APPCTL_SERVER"].flatMap { $0.isEmpty ? nil : $0 } ?? named?.server
        guard var server else {
            throw AppCtlError(
                .clientNoServer,
                "no server configured: pass --server URL, set APPCTL_SERVER, or run `appctl context add NAME --server URL`")
        }
        while server.hasSuffix("/") { server.removeLast() }
        let token = options.token ?? context.environment["APPCTL_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } ?? named?.token
        return ServerTarget(server: server, token: token)
    }

    /// The context in force: `--context`, else `APPCTL_CONTEXT`, else the current one.
    /// - Throws: ``ErrorCode/clientContextNotFound`` for a named context that does not exist.
    static func activeContext(_ options: GlobalOptions, in context: CommandContext) throws -> AppCtlConfig.Context? {
        let config = try AppCtlConfig.load(from: context.configPath)
        if let name = options.context ?? context.environment["APPCTL_CONTEXT"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return try config.requireContext(named: name)
        }
        return config.currentContext.flatMap(config.context(named:))
    }
}

import PlatformHTTP

extension PlatformServer {
    /// The platform's own origins, the only ones whose pages may open WebSockets through it:
    /// the external URL (`--external-url`, else derived from the listen address), the listen
    /// address itself, and for a loopback listener its other loopback names (browsers on the
    /// same machine use either).
    static func origins(_ configuration: ServerConfiguration) -> OriginPolicy {
        let listen = configuration.listen
        let host = listen.host.contains(":") ? "[\(listen.host)]" : listen.host
        var origins = [configuration.effectiveExternalURL, "http://\(host):\(listen.port)", "https://\(host):\(listen.port)"]
        if ["127.0.0.1", "::1", "localhost"].contains(listen.host) {
            origins += ["http://localhost:\(listen.port)", "http://127.0.0.1:\(listen.port)", "http://[::1]:\(listen.port)"]
        }
        return OriginPolicy(origins: origins)
    }
}

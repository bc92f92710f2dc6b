import PlatformHTTP

extension PlatformServer {
    /// The platform's own origins, the only ones whose pages may open WebSockets through it:
    /// the listen address as a URL, and `localhost` for a loopback listener (browsers on the
    /// same machine name it either way).
    static func origins(_ configuration: ServerConfiguration) -> OriginPolicy {
        let listen = configuration.listen
        let host = listen.host.contains(":") ? "[\(listen.host)]" : listen.host
        var origins = ["http://\(host):\(listen.port)", "https://\(host):\(listen.port)"]
        if ["127.0.0.1", "::1", "localhost"].contains(listen.host) {
            origins += ["http://localhost:\(listen.port)", "http://127.0.0.1:\(listen.port)", "http://[::1]:\(listen.port)"]
        }
        return OriginPolicy(origins: origins)
    }
}

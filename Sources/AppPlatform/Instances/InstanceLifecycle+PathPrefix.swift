extension InstanceLifecycle {
    /// Health probes of an endpoint that a `pathPrefix: keep` connect action serves are made
    /// under that action's prefix: such an app (JupyterLab with `--ServerApp.base_url`,
    /// TensorBoard with `--path_prefix`) serves only below `/i/{instance}/{action}/`, so a
    /// manifest's `path: /api` means `/i/{instance}/{action}/api` — the same page the user
    /// reaches through the proxy. Probes of other endpoints, and TCP probes, are unchanged.
    static func prefixKeptProbes(_ manifest: LaunchManifest, to row: inout InstanceRow) {
        var prefixes: [String: String] = [:]
        for action in manifest.connect ?? [] where action.pathPrefix == .keep && prefixes[action.endpoint] == nil {
            prefixes[action.endpoint] = ConnectPathPrefix.prefix(instance: row.id, action: action.name)
        }
        guard !prefixes.isEmpty else { return }
        func under(_ endpoint: String?, _ path: String) -> String {
            guard let endpoint, let prefix = prefixes[endpoint], !path.hasPrefix(prefix + "/") else { return path }
            return prefix + (path.hasPrefix("/") ? path : "/" + path)
        }
        if let readiness = row.readiness, readiness.kind != .tcp { row.readiness?.path = under(readiness.endpoint, readiness.path) }
        if let startup = row.lifecycle?.startup, startup.kind == .http { row.lifecycle?.startup?.path = under(startup.endpoint, startup.path) }
        if let liveness = row.lifecycle?.liveness, liveness.kind == .http { row.lifecycle?.liveness?.path = under(liveness.endpoint, liveness.path) }
    }
}

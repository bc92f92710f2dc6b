import Foundation
import PlatformContracts
import RuntimeKit

extension OCIRuntimeConfig {
    /// `config` with the instance's secrets: the host tmpfs ``LocalSecrets`` filled (`source`)
    /// bind-mounted read-only, `nosuid,nodev,noexec`, at `/run/secrets` (after the `/run`
    /// tmpfs, so it lands on top of it), and the variables of the secrets delivered with
    /// `env: true` (which override the manifest's `env` of the same name).
    static func addingSecrets(_ config: [String: Any], spec: LaunchSpec, source: URL?) throws(PlatformError) -> [String: Any] {
        guard let source else { return config }
        var config = config
        var mounts = config["mounts"] as? [[String: Any]] ?? []
        mounts.append(["destination": LaunchSpec.secretsMountPath, "type": "bind", "source": source.path,
                       "options": ["bind", "ro", "nosuid", "nodev", "noexec"]])
        config["mounts"] = mounts
        let variables = try spec.secretEnvironment()
        if !variables.isEmpty, var process = config["process"] as? [String: Any] {
            let kept = (process["env"] as? [String] ?? []).filter { entry in
                !variables.keys.contains(String(entry.prefix { $0 != "=" }))
            }
            process["env"] = kept + variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            config["process"] = process
        }
        return config
    }
}

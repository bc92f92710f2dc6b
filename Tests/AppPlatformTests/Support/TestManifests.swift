/// App manifests for the fast tier. Every app runs the one pushed artifact
/// (`examples/demo:1.0.0`) on the twin registered as `local`; its `behaviour` parameter
/// becomes the `BEHAVIOUR` variable the twin's selector reads (see ``FastTier/behaviours``).
enum TestManifests {
    /// A manifest; `extra` lines are appended at the top level.
    static func app(_ name: String, mode: String = "service", readiness: Bool = true, idleStopMinutes: Int? = nil,
                    readyWithinMinutes: Int = 2, launchScopes: [String] = ["apps:instance:launch"],
                    requiredTrust: String = "registered", gpus: Int = 0) -> String {
        var text = """
        apiVersion: apps.platform/v1
        kind: App
        metadata:
          name: \(name)
          version: 1.0.0
          owner: platform-team
        artifact:
          reference: examples/demo:1.0.0
          type: app-image
          requiredTrust: \(requiredTrust)
        mode: \(mode)
        resources:
          cpuMillicores: 100
          memoryMiB: 64

        """
        if gpus > 0 {
            text += """
              gpu:
                count: \(gpus)

            """
        }
        text += """
        command: ["/bin/demo", "--port", "${ports.http}"]
        env:
          BEHAVIOUR: "${params.behaviour}"
        params:
          - name: behaviour
            type: string
            default: serve
          - name: size
            type: integer
            default: 1
          - name: tier
            type: string
            enum: [small, large]
            default: small
        endpoints:
          - name: http
            port: 8080
            protocol: http
        evidence:
          readyWithinMinutes: \(readyWithinMinutes)
        access:
          launchScopes: [\(launchScopes.joined(separator: ", "))]
        runtime:
          adapters: [local]

        """
        if readiness {
            text += """
            health:
              readiness:
                endpoint: http
                path: /healthz

            """
        }
        if let idleStopMinutes {
            text += """
            lifecycle:
              idleStopMinutes: \(idleStopMinutes)

            """
        }
        return text
    }
}

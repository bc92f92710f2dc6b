/// The two manifests the launch benchmark compares, both over the published gpu-echo image
/// (`artifact.reference` resolves to the project's `gpu-echo` repository).
extension LaunchFeaturesBenchmark {
    /// What both share: the image, its command and endpoints (`/bin/start` serves them all).
    static func head(_ name: String, _ description: String) -> String {
        """
        apiVersion: apps.platform/v1
        kind: App
        metadata:
          name: \(name)
          version: 1.0.0
          owner: platform-team
          lifecycle: experimental
          description: \(description)
        artifact:
          reference: examples/gpu-echo:1.0.0
          type: app-image
          requiredTrust: verified
          signaturePolicy: project-keys
        mode: service
        command: ["/bin/start"]
        endpoints:
          - name: http
            port: 8080
            protocol: http
          - name: live
            port: 8081
            protocol: http
          - name: echo
            port: 7000
            protocol: tcp
          - name: ssh
            port: 2222
            protocol: ssh
        evidence:
          readyWithinMinutes: 2
        runtime:
          adapters: [local]

        """
    }

    /// The command, endpoints and a readiness probe: nothing else.
    static var bare: String {
        head("bench-bare", "gpu-echo with its command, endpoints and a readiness probe only.") + """
            resources:
              cpuMillicores: 100
              memoryMiB: 64
            health:
              readiness:
                endpoint: http
                path: /healthz
                periodSeconds: 1

            """
    }

    /// Every launch feature of issue 21 on (less `without`).
    static func full(project: String, without: Set<Feature>) -> String {
        var text = head("bench-full", "gpu-echo with every launch feature on.")
        text += """
            params:
              - name: label
                type: string
                default: full

            """
        text += "resources:\n  cpuMillicores: \(without.contains(.limits) ? 100 : 500)\n  memoryMiB: \(without.contains(.limits) ? 64 : 256)\n"
        if !without.contains(.disk) { text += "  diskMiB: 128\n" }
        if !without.contains(.args) { text += "args: [\"--bench\", \"${params.label}\"]\n" }
        if !without.contains(.env) { text += "env:\n  BENCH_LABEL: \"${params.label}\"\n" }
        if !without.contains(.secrets) {
            text += "secrets:\n  - name: BENCH_TOKEN\n    ref: secret://\(project)/bench-token\n    env: true\n"
        }
        if !without.contains(.volumes) {
            text += """
                volumes:
                  - name: bench-data
                    mountPath: /data
                    sizeMiB: 64
                    persistent: true
                  - name: scratch
                    mountPath: /scratch
                    sizeMiB: 32

                """
        }
        text += "health:\n"
        if !without.contains(.probes) {
            text += "  startup:\n    endpoint: http\n    path: /healthz\n    periodSeconds: 1\n    failureThreshold: 60\n"
            text += "  liveness:\n    endpoint: http\n    path: /healthz\n    periodSeconds: 5\n    timeoutSeconds: 2\n    failureThreshold: 3\n"
        }
        text += "  readiness:\n    endpoint: http\n    path: /healthz\n    periodSeconds: 1\n"
        var lifecycle: [String] = []
        if !without.contains(.restart) { lifecycle.append("  restartPolicy: on-failure") }
        if !without.contains(.maxRuntime) { lifecycle.append("  maxRuntimeMinutes: 60") }
        if !lifecycle.isEmpty { text += "lifecycle:\n" + lifecycle.joined(separator: "\n") + "\n" }
        return text
    }
}

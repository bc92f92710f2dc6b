import AsyncHTTPClient
import Foundation
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The manifest features the platform itself applies at launch, proven on each real adapter
/// (the matrix shows a cell `validated` only through a test like this, see
/// `LaunchFeatureProof`): a real `platformd` with a Slurm cluster, gpu-echo published with
/// `publish.sh`, and two manifests over its image registered next to it.
@Suite("Platform-applied launch features on each adapter (real platformd, runc, Slurm)", .serialized, .tags(.integration, .slurm))
struct LaunchFeatureProcessTests {
    typealias Session = InstanceProcessTests.Session

    @Test("on local and slurm: params are substituted into the process, access.launchScopes refuse a key without them, and a missed readiness deadline ends failed(health-timeout)")
    func platformFeaturesOnEachAdapter() async throws {
        try await withTemporaryDirectory { directory async throws in
            let cluster = try await SlurmCluster.start(in: directory, gpus: 2, type: "h100")
            var daemon = try await InstanceProcessTests.startDaemon(directory, cluster: cluster, round: 0)
            do {
                try await daemon.makeProject()
                let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
                let session = Session(daemon: daemon, project: project, directory: directory, cluster: cluster)
                try await session.publishReferenceApp(["--to", "staging"])
                let (_, placement) = try await session.json(PolicyPlacementProbe.self, .GET, "/v1/projects/\(project)/policies")
                let (flagged, flagOutput) = try await session.appctl(
                    ["flag", "set", "runtime.slurm", "on", "--tenant", try #require(placement?.placement.tenant)], log: "flag-slurm.log")
                try #require(flagged == 0, "\(flagOutput)")
                // lifecycle.restartPolicy: an app that exits 3 at once, restarted on failure until the
                // policy's crash-loop limit (lifecycle.crash_loop_restarts, 5) ends it failed(crash-loop).
                let crashing = Self.manifest(name: "crash-looper", readinessPath: "/healthz", readyWithinMinutes: 2)
                    .replacingOccurrences(of: #"command: ["/bin/sh", "-c", "echo greeting=${params.greeting}; exec /bin/start"]"#,
                                          with: #"command: ["/bin/sh", "-c", "echo crash-run; exit 3"]"#)
                    .replacingOccurrences(of: "runtime:\n", with: "lifecycle:\n  restartPolicy: on-failure\nruntime:\n")
                // lifecycle.maxRuntimeMinutes: an app that would serve for ever is ended at one minute.
                let bounded = Self.manifest(name: "one-minute", readinessPath: "/healthz", readyWithinMinutes: 2)
                    .replacingOccurrences(of: "runtime:\n", with: "lifecycle:\n  maxRuntimeMinutes: 1\nruntime:\n")
                for manifest in [Self.manifest(name: "feature-probe", readinessPath: "/healthz", readyWithinMinutes: 2),
                                 Self.manifest(name: "never-ready", readinessPath: "/never-answers-200", readyWithinMinutes: 1),
                                 crashing, bounded] {
                    let body = try JSONSerialization.data(withJSONObject: ["manifest": manifest])
                    let (status, _, reply) = try await daemon.call(.POST, "/v1/projects/\(project)/apps", body: body)
                    try #require((200..<300).contains(status), "\(String(decoding: reply, as: UTF8.self))")
                }
                let launches = "/v1/projects/\(project)/instances"

                // evidence.readyWithinMinutes: the app whose readiness never passes is started first on both
                // adapters; its one-minute deadline runs while the rest is checked.
                var late: [String: String] = [:]
                var crashLoops: [String: String] = [:]
                var limited: [String: String] = [:]
                for adapter in ["local", "slurm"] {
                    let (_, launched) = try await session.json(InstanceRecord.self, .POST, launches,
                                                               body: #"{"app":"never-ready","environment":"staging","adapter":"\#(adapter)"}"#)
                    late[adapter] = try #require(launched?.id, "never-ready on \(adapter)")
                    let (_, crashing) = try await session.json(InstanceRecord.self, .POST, launches,
                                                               body: #"{"app":"crash-looper","environment":"staging","adapter":"\#(adapter)"}"#)
                    crashLoops[adapter] = try #require(crashing?.id, "crash-looper on \(adapter)")
                    let (_, bounded) = try await session.json(InstanceRecord.self, .POST, launches,
                                                              body: #"{"app":"one-minute","environment":"staging","adapter":"\#(adapter)"}"#)
                    limited[adapter] = try #require(bounded?.id, "one-minute on \(adapter)")
                }

                // access.launchScopes: a developer key without the manifest's extra launch scope is refused on each adapter.
                let account = try JSONDecoder().decode(ServiceAccount.self, from: try await daemon.call(
                    .POST, "/v1/projects/\(project)/serviceaccounts", body: Data(#"{"name":"launcher","role":"developer"}"#.utf8)).2)
                let issued = try JSONDecoder().decode(IssuedKey.self, from: try await daemon.call(.POST, "/v1/keys", body: Data("""
                    {"serviceAccount":"\(account.id)","scopes":["apps:instance:launch","apps:instance:read"],"expiresInSeconds":3600}
                    """.utf8)).2)
                let launcher = RegistryProcessTests.Daemon(process: daemon.process, base: daemon.base, port: daemon.port, key: issued.key)
                for adapter in ["local", "slurm"] {
                    let (status, _, body) = try await launcher.call(
                        .POST, launches, body: Data(#"{"app":"feature-probe","environment":"staging","adapter":"\#(adapter)"}"#.utf8))
                    let text = String(decoding: body, as: UTF8.self)
                    #expect(status == 403 && text.contains("iam.forbidden") && text.contains("apps:instance:exec"), "\(adapter): \(status) \(text)")
                }

                // params: a caller with the launch scopes launches; the value it passed reaches the process's command line.
                for adapter in ["local", "slurm"] {
                    let (_, launched) = try await session.json(InstanceRecord.self, .POST, launches, body: """
                        {"app":"feature-probe","environment":"staging","adapter":"\(adapter)","params":{"greeting":"hi-from-\(adapter)"}}
                        """)
                    let ready = try await session.waitFor(try #require(launched?.id), phases: ["ready", "failed"], timeout: .seconds(120))
                    #expect(ready.phase == .ready, "\(adapter): \(ready)")
                    var logs = ""
                    for _ in 0..<50 where !logs.contains("greeting=hi-from-\(adapter)") {
                        let (_, chunk) = try await session.json(InstanceLogChunk.self, .GET, "\(launches)/\(ready.id)/logs")
                        logs = chunk?.text ?? ""
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    #expect(logs.contains("greeting=hi-from-\(adapter)"), "\(adapter): \(logs)")
                    _ = try await session.json(InstanceRecord.self, .POST, "\(launches)/\(ready.id)/stop", body: "{}")
                    let stopped = try await session.waitFor(ready.id, phases: ["stopped", "failed"], timeout: .seconds(60))
                    #expect(stopped.phase == .stopped, "\(adapter): \(stopped)")
                }

                // restartPolicy: five restarts (backoff 1, 2, 4, 8, 16 s), then failed(crash-loop), the log keeping every run.
                for (adapter, id) in crashLoops.sorted(by: { $0.key < $1.key }) {
                    let ended = try await session.waitFor(id, phases: ["failed", "stopped"], timeout: .seconds(240))
                    #expect(ended.phase == .failed(.crashLoop) && ended.restartCount == 5 && ended.lastExitCode == 3,
                            "crash-looper on \(adapter): \(ended)")
                    let (_, chunk) = try await session.json(InstanceLogChunk.self, .GET, "\(launches)/\(id)/logs")
                    let runs = (chunk?.text ?? "").components(separatedBy: "crash-run").count - 1
                    #expect(runs == 6, "crash-looper on \(adapter) ran \(runs) times: \(chunk?.text ?? "")")
                }
                // maxRuntimeMinutes: ended failed(timeout) at the limit (local: the supervisor; slurm: sbatch --time).
                for (adapter, id) in limited.sorted(by: { $0.key < $1.key }) {
                    let ended = try await session.waitFor(id, phases: ["failed", "stopped"], timeout: .seconds(240))
                    #expect(ended.phase == .failed(.timeout), "one-minute on \(adapter): \(ended)")
                }

                // The deadline passed: stopped and ended failed(health-timeout) on both adapters.
                for (adapter, id) in late.sorted(by: { $0.key < $1.key }) {
                    let ended = try await session.waitFor(id, phases: ["failed", "stopped"], timeout: .seconds(150))
                    #expect(ended.phase == .failed(.healthTimeout), "never-ready on \(adapter): \(ended)")
                }
            } catch {
                daemon.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                await cluster.stop()
                throw error
            }
            daemon.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
            await cluster.stop()
        }
    }

    /// gpu-echo's image with a parameter echoed by the command before `/bin/start`, an extra
    /// launch scope in `access.launchScopes`, and the readiness path and deadline given.
    static func manifest(name: String, readinessPath: String, readyWithinMinutes: Int) -> String {
        """
        apiVersion: apps.platform/v1
        kind: App
        metadata:
          name: \(name)
          version: 1.0.0
          owner: platform-team
          description: gpu-echo's image, to prove the features the platform applies at launch.
        artifact:
          reference: examples/gpu-echo:1.0.0
          type: app-image
          requiredTrust: verified
          signaturePolicy: project-keys
        mode: service
        resources:
          cpuMillicores: 100
          memoryMiB: 64
        command: ["/bin/sh", "-c", "echo greeting=${params.greeting}; exec /bin/start"]
        params:
          - name: greeting
            type: string
            default: hello
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
        health:
          readiness:
            endpoint: http
            path: \(readinessPath)
            periodSeconds: 1
        access:
          launchScopes: [apps:instance:launch, apps:instance:exec]
        evidence:
          readyWithinMinutes: \(readyWithinMinutes)
        runtime:
          adapters: [local, slurm]
        """
    }
}

import Foundation
import Glibc
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

/// `health.startup` through a real `platformd` on each adapter: an app whose startup probe
/// passes goes on to ready, one whose startup probe never passes is failed after
/// `failureThreshold` probes (restartPolicy never) instead of ever being ready. The matrix's
/// `health.startup` cells rest on it (JupyterLab and vLLM declare one).
@Suite("Startup probe on each adapter (real platformd, runc, Slurm)", .serialized, .tags(.integration, .slurm))
struct StartupProbeProcessTests {
    typealias Session = InstanceProcessTests.Session

    /// gpu-echo's image with a startup probe at `path` before its readiness probe.
    static func manifest(name: String, startupPath: String) -> String {
        LaunchFeatureProcessTests.manifest(name: name, readinessPath: "/healthz", readyWithinMinutes: 2)
            .replacingOccurrences(of: "health:\n", with: "health:\n  startup:\n    endpoint: http\n    path: \(startupPath)\n    periodSeconds: 1\n    failureThreshold: 5\n")
            .replacingOccurrences(of: "runtime:\n", with: "lifecycle:\n  restartPolicy: never\nruntime:\n")
    }

    @Test("on local and slurm: health.startup passing lets the app become ready; a startup probe that never passes fails it, never ready")
    func startupGatesReadiness() async throws {
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
                for manifest in [Self.manifest(name: "starts-up", startupPath: "/healthz"), Self.manifest(name: "never-starts", startupPath: "/never-answers-200")] {
                    let body = try JSONSerialization.data(withJSONObject: ["manifest": manifest])
                    let (status, _, reply) = try await daemon.call(.POST, "/v1/projects/\(project)/apps", body: body)
                    try #require((200..<300).contains(status), "\(String(decoding: reply, as: UTF8.self))")
                }
                let launches = "/v1/projects/\(project)/instances"
                var ids: [String: String] = [:]
                for adapter in ["local", "slurm"] {
                    for app in ["starts-up", "never-starts"] {
                        let (_, launched) = try await session.json(InstanceRecord.self, .POST, launches,
                                                                   body: #"{"app":"\#(app)","environment":"staging","adapter":"\#(adapter)"}"#)
                        ids["\(app)@\(adapter)"] = try #require(launched?.id, "\(app) on \(adapter)")
                    }
                }
                for adapter in ["local", "slurm"] {
                    let good = try await session.waitFor(try #require(ids["starts-up@\(adapter)"]), phases: ["ready", "failed"], timeout: .seconds(120))
                    #expect(good.phase == .ready, "starts-up on \(adapter): \(good)")
                    let bad = try await session.waitFor(try #require(ids["never-starts@\(adapter)"]), phases: ["ready", "failed", "stopped"],
                                                        timeout: .seconds(150))
                    #expect(bad.phase != .ready && bad.phase.failureReason != nil, "never-starts on \(adapter): \(bad)")
                    let (_, events) = try await session.json([InstanceEvent].self, .GET, "\(launches)/\(bad.id)/events")
                    #expect(!(events ?? []).contains { $0.phase == .ready }, "never-starts on \(adapter) was ready once: \(events ?? [])")
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
}

import Foundation
import Glibc
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

/// `lifecycle.idleStopMinutes` through a real `platformd` on each adapter: an app nobody
/// connects to is stopped by the platform once the minute passes, with the manifest field named
/// in its message — what interactive apps (JupyterLab, TensorBoard, VS Code) rely on to give
/// their GPUs back. The matrix's `lifecycle.idleStopMinutes` cells rest on it.
@Suite("Idle stop on each adapter (real platformd, runc, Slurm)", .serialized, .tags(.integration, .slurm))
struct IdleStopProcessTests {
    typealias Session = InstanceProcessTests.Session

    @Test("on local and slurm: an app with lifecycle.idleStopMinutes 1 and no connect activity is stopped by the platform after a minute")
    func idleAppIsStopped() async throws {
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
                let idle = LaunchFeatureProcessTests.manifest(name: "idle-one", readinessPath: "/healthz", readyWithinMinutes: 2)
                    .replacingOccurrences(of: "runtime:\n", with: "lifecycle:\n  idleStopMinutes: 1\nruntime:\n")
                let body = try JSONSerialization.data(withJSONObject: ["manifest": idle])
                let (status, _, reply) = try await daemon.call(.POST, "/v1/projects/\(project)/apps", body: body)
                try #require((200..<300).contains(status), "\(String(decoding: reply, as: UTF8.self))")
                let launches = "/v1/projects/\(project)/instances"
                var ids: [String: String] = [:]
                for adapter in ["local", "slurm"] {
                    let (_, launched) = try await session.json(InstanceRecord.self, .POST, launches,
                                                               body: #"{"app":"idle-one","environment":"staging","adapter":"\#(adapter)"}"#)
                    ids[adapter] = try #require(launched?.id, "idle-one on \(adapter)")
                }
                for adapter in ["local", "slurm"] {
                    let id = try #require(ids[adapter])
                    let ready = try await session.waitFor(id, phases: ["ready", "failed"], timeout: .seconds(120))
                    #expect(ready.phase == .ready, "\(adapter): \(ready)")
                }
                let readyAt = ContinuousClock.now
                for adapter in ["local", "slurm"] {
                    let ended = try await session.waitFor(try #require(ids[adapter]), phases: ["stopped", "failed"], timeout: .seconds(240))
                    #expect(ended.phase == .stopped, "idle-one on \(adapter): \(ended)")
                    // The platform asked for the stop, naming the manifest field (not the app exiting by itself).
                    let (_, events) = try await session.json([InstanceEvent].self, .GET, "\(launches)/\(ended.id)/events")
                    #expect((events ?? []).contains { ($0.message ?? "").contains("lifecycle.idleStopMinutes") }, "idle-one on \(adapter): \(events ?? [])")
                }
                // Not stopped at once: the minute without connect activity ran first.
                #expect(ContinuousClock.now - readyAt > .seconds(30))
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

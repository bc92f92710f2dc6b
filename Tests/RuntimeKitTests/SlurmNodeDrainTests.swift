import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RuntimeKit
import SlurmRuntimeAdapter
import Testing

/// A drained Slurm node takes no new instance, against a real cluster: the adapter lists it
/// drained with Slurm's reason, plan refuses for reason `drained`, and once resumed the same
/// launch is planned and runs on that node (the observation names it).
@Suite("Slurm node drain", .serialized, .tags(.integration, .slurm))
struct SlurmNodeDrainTests {
    @Test("drain → listed drained and refused for reason drained; resume → planned and placed on the node")
    func drainedNodeTakesNoInstance() async throws {
        try await withTemporaryDirectory { directory async throws in
            let cluster = try await SlurmCluster.start(in: directory)
            do {
                let blobs = try FileSystemBlobStore(root: directory.url.appendingPathComponent("blobs"))
                let digest = try await TestImage.busybox(into: blobs, scratch: try makeFolder(directory.appending("image")))
                let adapter = SlurmRuntimeAdapter(configuration: .init(
                    root: try makeFolder(directory.appending("runtime")),
                    template: repositoryRoot().appendingPathComponent("runtime-adapters/slurm/job.sbatch.tmpl"),
                    slurmConf: cluster.environment["SLURM_CONF"], defaultPartition: "gpu"), blobs: blobs)
                let spec = LaunchSpec(instanceId: "DRAIN-1", project: "p1", app: "drain", version: "1.0.0", mode: .job,
                                      image: .init(repository: "p1/busybox", manifestDigest: digest),
                                      command: ["/bin/sh", "-c", "echo placed"], gpus: GPURequest(model: "h100", count: 1))

                let idle = try await adapter.nodeUsage()
                #expect(idle.map(\.node) == ["localhost"] && idle.first?.state == .idle, "\(idle)")
                // A plan while idle fills the adapter's node cache: the refusal below must not come from it.
                _ = try await adapter.plan(spec)

                let drain = try await cluster.run("scontrol", ["update", "NodeName=localhost", "State=DRAIN", "Reason=platform drain test"])
                #expect(drain.status == 0, "\(drain.output)")
                let drained = try await adapter.nodeUsage()
                #expect(drained.first?.state == .drained && drained.first?.reason?.hasPrefix("platform drain test") == true, "\(drained)")
                do {
                    _ = try await adapter.plan(spec)
                    Issue.record("a drained node was planned on")
                } catch let error as PlatformError {
                    #expect(error.code == .runtimePlacementUnsatisfiable && error.details["reason"] == "drained", "\(error)")
                    #expect(error.message.contains("localhost (drained: platform drain test"), "\(error.message)")
                }

                let resume = try await cluster.run("scontrol", ["update", "NodeName=localhost", "State=RESUME"])
                #expect(resume.status == 0, "\(resume.output)")
                let plan = try await adapter.plan(spec)
                #expect(plan.summary.contains("on localhost"), "\(plan.summary)")
                let handle = try await adapter.start(spec, plan: plan)
                var seen = try await adapter.inspect(handle)
                let deadline = ContinuousClock.now.advanced(by: .seconds(60))
                while !seen.state.isTerminal, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                    seen = try await adapter.inspect(handle)
                }
                #expect(seen.state == .exited(code: 0), "\(seen)")
                #expect(seen.node == "localhost", "placement names the node: \(seen)")
                try await adapter.destroy(handle)
            } catch {
                await cluster.stop()
                throw error
            }
            await cluster.stop()
        }
    }
}

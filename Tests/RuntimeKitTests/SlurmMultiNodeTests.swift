import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RuntimeKit
import SlurmRuntimeAdapter
import Testing

/// `resources.nodes` on a real two-node Slurm cluster (two slurmd on this host, see
/// `scripts/slurm/cluster.sh`): the app runs on every node, each copy in its own bwrap
/// sandbox knowing its place (`SLURM_NODEID`, `SLURM_NNODES`, `SLURM_JOB_NODELIST`); the
/// observation lists the nodes; a stop reaches every copy; more nodes than the cluster has
/// are refused at plan for reason capacity.
@Suite("Slurm multi-node instances", .serialized, .tags(.integration, .slurm))
struct SlurmMultiNodeTests {
    @Test("resources.nodes = 2 runs the app on both nodes, each sandboxed, and a stop reaches both")
    func twoNodeLaunch() async throws {
        try await withTemporaryDirectory { directory async throws in
            let cluster = try await SlurmCluster.start(in: directory, nodes: 2)
            do {
                let blobs = try FileSystemBlobStore(root: directory.url.appendingPathComponent("blobs"))
                let digest = try await TestImage.busybox(into: blobs, scratch: try makeFolder(directory.appending("image")))
                let adapter = SlurmRuntimeAdapter(configuration: .init(
                    root: try makeFolder(directory.appending("runtime")),
                    template: repositoryRoot().appendingPathComponent("runtime-adapters/slurm/job.sbatch.tmpl"),
                    slurmConf: cluster.environment["SLURM_CONF"], defaultPartition: "gpu"), blobs: blobs)
                func spec(_ id: String, _ mode: LaunchSpec.Mode, _ script: String) -> LaunchSpec {
                    var spec = LaunchSpec(instanceId: id, project: "p1", app: "multi", version: "1.0.0", mode: mode,
                                          image: .init(repository: "p1/busybox", manifestDigest: digest), command: ["/bin/sh", "-c", script],
                                          gpus: GPURequest(model: "h100", count: 1))
                    spec.nodes = 2
                    return spec
                }

                // A job: one copy per node, each with its node id and the job's node list.
                let job = spec("MULTI-JOB", .job, #"echo "node=$SLURM_NODEID of $SLURM_NNODES on $SLURM_JOB_NODELIST gpus=$CUDA_VISIBLE_DEVICES""#)
                let handle = try await adapter.start(job, plan: try await adapter.plan(job))
                let ended = try await Self.waitForEnd(adapter, handle)
                #expect(ended.state == .exited(code: 0), "\(ended)")
                #expect(Set((ended.node ?? "").split(separator: ",")) == ["localhost", "node2"], "the observation lists both nodes: \(ended)")
                let log = try await Self.log(adapter, handle)
                #expect(log.contains("node=0 of 2 on localhost,node2 gpus=0\n"), "\(log)")
                #expect(log.contains("node=1 of 2 on localhost,node2 gpus=0\n"), "\(log)")
                #expect(FileManager.default.fileExists(atPath: directory.appending("runtime/MULTI-JOB/bwrap-1.json").path),
                        "node 1's copy ran in its own sandbox")
                try await adapter.destroy(handle)

                // A service: both copies serve; a stop's TERM reaches both.
                let service = spec("MULTI-SVC", .service,
                                   "trap 'echo got-term-$SLURM_NODEID; exit 0' TERM; echo serving-$SLURM_NODEID; while true; do sleep 0.2; done")
                let running = try await adapter.start(service, plan: try await adapter.plan(service))
                let deadline = ContinuousClock.now.advanced(by: .seconds(60))
                while ContinuousClock.now < deadline {
                    let serving = try await Self.log(adapter, running)
                    if serving.contains("serving-0") && serving.contains("serving-1") { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                try await adapter.stop(running, grace: .seconds(10))
                let stopped = try await Self.waitForEnd(adapter, running)
                #expect(stopped.state.isTerminal, "\(stopped)")
                let serviceLog = try await Self.log(adapter, running)
                #expect(serviceLog.contains("got-term-0") && serviceLog.contains("got-term-1"), "\(serviceLog)")
                try await adapter.destroy(running)

                // Three nodes never fit a two-node cluster.
                var tooMany = job
                tooMany.instanceId = "MULTI-3"
                tooMany.nodes = 3
                do {
                    _ = try await adapter.plan(tooMany)
                    Issue.record("three nodes were planned on a two-node cluster")
                } catch let error as PlatformError {
                    #expect(error.code == .runtimePlacementUnsatisfiable && error.details["reason"] == "capacity", "\(error)")
                }
            } catch {
                await cluster.stop()
                throw error
            }
            await cluster.stop()
        }
    }

    static func waitForEnd(_ adapter: SlurmRuntimeAdapter, _ handle: RuntimeHandle) async throws -> RuntimeObservation {
        var seen = try await adapter.inspect(handle)
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while !seen.state.isTerminal, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            seen = try await adapter.inspect(handle)
        }
        return seen
    }

    static func log(_ adapter: SlurmRuntimeAdapter, _ handle: RuntimeHandle) async throws -> String {
        String(decoding: try await adapter.logs(handle, from: 0).data, as: UTF8.self)
    }
}

import Foundation
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `appctl node list` against a real `platformd` with a real Slurm cluster: the Slurm test
/// cluster's node with its GRES GPUs and state shows next to the local host's GPUs; a drain
/// on the cluster shows as `drained` with Slurm's reason and admission refuses a Slurm launch
/// for reason `drained`; once resumed the launch runs and its record names the node.
@Suite("Node list end to end (real platformd, Slurm, appctl)", .serialized, .tags(.integration, .slurm))
struct NodeListProcessTests {
    @Test("appctl node list shows the Slurm node with its GPUs and state next to the local host; a drained node shows its reason and takes no instance")
    func slurmNodeNextToLocalHost() async throws {
        try await withTemporaryDirectory { directory async throws in
            let cluster = try await SlurmCluster.start(in: directory, gpus: 4, type: "h100")
            var daemon = try await InstanceProcessTests.startDaemon(directory, cluster: cluster, round: 0)
            do {
                try await daemon.makeProject()
                let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
                let session = InstanceProcessTests.Session(daemon: daemon, project: project, directory: directory, cluster: cluster)
                let (listed, table) = try await session.appctl(["node", "list"], log: "node-list.log")
                #expect(listed == 0, "\(table)")
                let lines = table.split(separator: "\n").map(String.init)
                let host = ProcessInfo.processInfo.hostName
                let localLine = try #require(lines.first { $0.hasPrefix("local ") && $0.contains(host) }, "\(table)")
                #expect(localLine.contains("idle") && localLine.contains("2 × h100 (free)"), "\(localLine)")
                let slurmLine = try #require(lines.first { $0.hasPrefix("slurm ") && $0.contains("localhost") }, "\(table)")
                #expect(slurmLine.contains("idle") && slurmLine.contains("4 × h100 (free)") && slurmLine.contains("0/2")
                        && slurmLine.contains("20000 MiB"), "\(slurmLine)")
                #expect(table.contains("GPU-11111111-0000-0000-0000-000000000001"), "the local devices are listed one by one: \(table)")
                #expect(table.contains("6 of 6 GPUs free"), "\(table)")

                let drain = try await cluster.run("scontrol", ["update", "NodeName=localhost", "State=DRAIN", "Reason=node list test"])
                #expect(drain.status == 0, "\(drain.output)")
                let (_, json) = try await session.appctl(["node", "list", "-o", "json"], log: "node-list-json.log")
                let nodes = try JSONDecoder().decode([NodeUsage].self, from: Data(json.utf8))
                #expect(nodes.map(\.adapter) == ["local", "slurm"], "\(nodes)")
                let slurm = try #require(nodes.last)
                #expect(slurm.node == "localhost" && slurm.state == .drained && slurm.reason?.hasPrefix("node list test") == true, "\(slurm)")
                #expect(slurm.gpus == [NodeUsage.GPUGroup(model: "h100", count: 4)] && slurm.partitions == ["gpu"], "\(slurm)")
                let (_, drainedTable) = try await session.appctl(["node", "list"], log: "node-list-drained.log")
                #expect(drainedTable.contains("drained") && drainedTable.contains("REASON") && drainedTable.contains("node list test"), "\(drainedTable)")
                #expect(drainedTable.contains("2 of 2 GPUs free"), "a drained node's GPUs are not offered: \(drainedTable)")

                // Admission through platformd: the drained node takes no instance, with the reason.
                try await session.publishReferenceApp(["--to", "staging"])
                let (_, policies) = try await session.json(PolicyPlacementProbe.self, .GET, "/v1/projects/\(project)/policies")
                let (flagged, flagOutput) = try await session.appctl(
                    ["flag", "set", "runtime.slurm", "on", "--tenant", try #require(policies?.placement.tenant)], log: "flag-slurm.log")
                #expect(flagged == 0, "\(flagOutput)")
                let launch = Data(#"{"app":"gpu-echo","adapter":"slurm","environment":"staging","gpus":"h100:1"}"#.utf8)
                let (refusedStatus, _, refusedBody) = try await daemon.call(.POST, "/v1/projects/\(project)/instances", body: launch)
                let refusal = String(decoding: refusedBody, as: UTF8.self)
                #expect(refusedStatus == 409 && refusal.contains("runtime.placement_unsatisfiable") && refusal.contains("drained")
                        && refusal.contains("node list test"), "\(refusedStatus) \(refusal)")

                // Resumed, the same launch is placed, and the record says on which node.
                let resume = try await cluster.run("scontrol", ["update", "NodeName=localhost", "State=RESUME"])
                #expect(resume.status == 0, "\(resume.output)")
                let (acceptedStatus, _, acceptedBody) = try await daemon.call(.POST, "/v1/projects/\(project)/instances", body: launch)
                let accepted = try JSONDecoder().decode(InstanceRecord.self, from: acceptedBody)
                #expect(acceptedStatus < 300 && accepted.message?.contains("on localhost") == true, "\(acceptedStatus) \(accepted)")
                let ready = try await session.waitFor(accepted.id, phases: ["ready", "failed"])
                #expect(ready.phase == .ready && ready.node == "localhost", "\(ready)")
                let (_, busyTable) = try await session.appctl(["node", "list"], log: "node-list-busy.log")
                let busyLine = try #require(busyTable.split(separator: "\n").first { $0.hasPrefix("slurm ") }, "\(busyTable)")
                #expect(busyLine.contains("mixed") && busyLine.contains("4 × h100 (1 used: "), "\(busyLine)")
            } catch {
                daemon.process.signal(SIGKILL)
                await cluster.stop()
                throw error
            }
            daemon.process.signal(SIGKILL)
            await cluster.stop()
        }
    }
}

import Foundation
import PlatformContracts
import RuntimeKit
@testable import SlurmRuntimeAdapter
import Testing

/// How the Slurm adapter reads `scontrol show node -d -o` and which nodes it places on (the
/// real cluster checks are ``SlurmNodeDrainTests`` and the conformance suite).
@Suite("Slurm node inventory parsing and placement")
struct SlurmNodeInventoryTests {
    /// Lines as Slurm 22.05 printed them for the test cluster (`scripts/slurm/cluster.sh`):
    /// idle, a job holding 2 GPUs, then drained while it ran, then drained and idle.
    static let tail = "NodeAddr=127.0.0.1 NodeHostName=localhost Version=22.05.8 OS=Linux 6.18.44-fc-v1272 #1 SMP PREEMPT_DYNAMIC @0  RealMemory=20000 AllocMem=0 FreeMem=22129 Sockets=2 Boards=1"
    static let idle = "NodeName=localhost Arch=x86_64 CoresPerSocket=1  CPUAlloc=0 CPUEfctv=2 CPUTot=2 CPULoad=2.18 AvailableFeatures=(null) ActiveFeatures=(null) Gres=gpu:h100:4 \(tail) State=IDLE ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A Partitions=gpu  BootTime=2026-12-07T01:28:17 SlurmdStartTime=2026-12-07T01:38:37 LastBusyTime=2026-12-07T01:38:38 CfgTRES=cpu=2,mem=20000M,billing=2 AllocTRES= CapWatts=n/a CurrentWatts=0 AveWatts=0 ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s"
    static let mixed = "NodeName=localhost Arch=x86_64 CoresPerSocket=1  CPUAlloc=1 CPUEfctv=2 CPUTot=2 CPULoad=2.18 AvailableFeatures=(null) ActiveFeatures=(null) Gres=gpu:h100:4 GresDrain=N/A GresUsed=gpu:h100:2(IDX:0-1) \(tail) State=MIXED ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A Partitions=gpu  BootTime=2026-12-07T01:28:17 SlurmdStartTime=2026-12-07T01:38:37 LastBusyTime=2026-12-07T01:38:38 CfgTRES=cpu=2,mem=20000M,billing=2 AllocTRES=cpu=1 CapWatts=n/a CurrentWatts=0 AveWatts=0 ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s"
    static let draining = "NodeName=localhost Arch=x86_64 CoresPerSocket=1  CPUAlloc=1 CPUEfctv=2 CPUTot=2 CPULoad=2.18 AvailableFeatures=(null) ActiveFeatures=(null) Gres=gpu:h100:4 GresDrain=N/A GresUsed=gpu:h100:2(IDX:0-1) \(tail) State=MIXED+DRAIN ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A Partitions=gpu  BootTime=2026-12-07T01:28:17 SlurmdStartTime=2026-12-07T01:38:37 LastBusyTime=2026-12-07T01:38:38 CfgTRES=cpu=2,mem=20000M,billing=2 AllocTRES=cpu=1 CapWatts=n/a CurrentWatts=0 AveWatts=0 ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s Reason=test drain [root@2026-12-07T01:38:44]"
    static let drained = "NodeName=localhost Arch=x86_64 CoresPerSocket=1  CPUAlloc=0 CPUEfctv=2 CPUTot=2 CPULoad=2.18 AvailableFeatures=(null) ActiveFeatures=(null) Gres=gpu:h100:4 \(tail) State=IDLE+DRAIN ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A Partitions=gpu  BootTime=2026-12-07T01:28:17 SlurmdStartTime=2026-12-07T01:38:37 LastBusyTime=2026-12-07T01:38:44 CfgTRES=cpu=2,mem=20000M,billing=2 AllocTRES= CapWatts=n/a CurrentWatts=0 AveWatts=0 ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s Reason=test drain [root@2026-12-07T01:38:44]"
    /// A node whose slurmd stopped answering, and a MIG node as `AutoDetect=nvml` names its slices.
    static let down = "NodeName=gpu-7 Arch=x86_64 CoresPerSocket=32 CPUAlloc=0 CPUTot=64 Gres=gpu:a100:8(S:0-1) NodeAddr=10.0.0.7 RealMemory=512000 AllocMem=0 State=DOWN+NOT_RESPONDING Partitions=gpu,debug Reason=Not responding [slurm@2026-12-06T22:01:00]"
    static let mig = "NodeName=gpu-9 CPUAlloc=8 CPUTot=64 Gres=gpu:a100:1(S:0),gpu:a100_1g.10gb:7(S:1),gpu:a100_3g.40gb:2(S:1) GresUsed=gpu:a100:0(IDX:N/A),gpu:a100_1g.10gb:2(IDX:1,3),gpu:a100_3g.40gb:0(IDX:N/A) NodeAddr=10.0.0.9 RealMemory=512000 AllocMem=16000 State=MIXED Partitions=gpu"

    @Test("states, reasons with spaces, CPUs, memory and GRES are read from real scontrol lines")
    func parsesRealLines() throws {
        let idle = try #require(SlurmNodeRecord(scontrolLine: Self.idle))
        #expect(idle.name == "localhost" && idle.address == "127.0.0.1" && idle.state == .idle && idle.reason == nil)
        #expect(idle.cpus == 2 && idle.cpusAllocated == 0 && idle.memoryMiB == 20000 && idle.partitions == ["gpu"])
        #expect(idle.count(of: "h100") == 4 && idle.count(of: nil) == 4 && idle.count(of: "a100") == 0)
        #expect(idle.usage(adapter: "slurm").gpus == [NodeUsage.GPUGroup(model: "h100", count: 4)])

        let mixed = try #require(SlurmNodeRecord(scontrolLine: Self.mixed))
        #expect(mixed.state == .mixed && mixed.cpusAllocated == 1)
        #expect(mixed.usage(adapter: "slurm").gpus == [NodeUsage.GPUGroup(model: "h100", count: 4, used: 2, usedIndices: [0, 1])])

        let draining = try #require(SlurmNodeRecord(scontrolLine: Self.draining))
        #expect(draining.state == .draining && draining.reason == "test drain [root@2026-12-07T01:38:44]")
        let drained = try #require(SlurmNodeRecord(scontrolLine: Self.drained))
        #expect(drained.state == .drained && !drained.state.acceptsInstances && drained.reason?.hasPrefix("test drain") == true)
        let usage = drained.usage(adapter: "slurm")
        #expect(usage.adapter == "slurm" && usage.state == .drained && usage.devices.isEmpty && usage.memoryMiB == 20000)

        let down = try #require(SlurmNodeRecord(scontrolLine: Self.down))
        #expect(down.state == .down && down.reason == "Not responding [slurm@2026-12-06T22:01:00]" && down.partitions == ["gpu", "debug"])
        #expect(down.count(of: "a100") == 8)

        let mig = try #require(SlurmNodeRecord(scontrolLine: Self.mig))
        #expect(mig.count(of: "a100") == 1, "a MIG slice is no whole GPU")
        #expect(mig.count(migProfile: "1g.10gb", model: "a100") == 7 && mig.count(migProfile: "1g.10gb", model: nil) == 7)
        #expect(mig.count(migProfile: "3g.40gb", model: "h100") == 0)
        #expect(mig.usage(adapter: "slurm").gpus == [
            NodeUsage.GPUGroup(model: "a100", count: 1),
            NodeUsage.GPUGroup(model: "a100", migProfile: "1g.10gb", count: 7, used: 2, usedIndices: [1, 3]),
            NodeUsage.GPUGroup(model: "a100", migProfile: "3g.40gb", count: 2),
        ])
        #expect(SlurmNodeRecord(scontrolLine: "JobId=1 JobState=RUNNING") == nil)
    }

    @Test("Slurm's state words map to typed node states")
    func stateWords() {
        let cases: [(String, NodeState)] = [
            ("IDLE", .idle), ("MIXED", .mixed), ("ALLOCATED", .allocated), ("IDLE+COMPLETING", .mixed),
            ("IDLE+DRAIN", .drained), ("MIXED+DRAIN", .draining), ("ALLOCATED+DRAIN", .draining), ("DRAINED", .drained),
            ("DOWN", .down), ("DOWN+DRAIN", .down), ("IDLE+NOT_RESPONDING", .idle), ("idle*", .idle), ("MIXED+NOT_RESPONDING", .mixed), ("FUTURE", .down),
            ("UNKNOWN", .unknown), ("IDLE+POWERED_DOWN", .idle), ("MIXED+FAIL", .draining), ("mix", .mixed), ("drain", .drained),
        ]
        for (word, state) in cases { #expect(NodeState(slurm: word) == state, "\(word)") }
    }

    @Test("placement takes only nodes that accept instances: drained or down ones refuse for reason drained, too small for capacity")
    func placement() throws {
        let idle = try #require(SlurmNodeRecord(scontrolLine: Self.idle))
        let drained = try #require(SlurmNodeRecord(scontrolLine: Self.drained))
        let down = try #require(SlurmNodeRecord(scontrolLine: Self.down))
        let mig = try #require(SlurmNodeRecord(scontrolLine: Self.mig))
        func spec(_ gpus: GPURequest, cpus: Int? = nil, memory: Int? = nil, mig profile: String? = nil, nodes: Int = 1) -> LaunchSpec {
            var spec = LaunchSpec(instanceId: "I1", project: "p1", app: "a", version: "1.0.0", mode: .job,
                                  image: .init(repository: "p1/a", manifestDigest: ContentDigest(sha256Bytes: Array("a".utf8))),
                                  command: ["true"], environment: [:], gpus: gpus)
            spec.cpuMillicores = cpus
            spec.memoryMiB = memory
            spec.migProfile = profile
            spec.nodes = nodes
            return spec
        }
        func reason(_ spec: LaunchSpec, _ nodes: [SlurmNodeRecord]) -> String? {
            do {
                _ = try SlurmRuntimeAdapter.candidates(for: spec, among: nodes, partition: "gpu")
                return nil
            } catch {
                #expect(error.code == .runtimePlacementUnsatisfiable)
                return error.details["reason"]
            }
        }
        let two = GPURequest(model: "h100", count: 2)
        #expect(try SlurmRuntimeAdapter.candidates(for: spec(two), among: [idle], partition: "gpu").map(\.name) == ["localhost"])
        #expect(reason(spec(two), [drained]) == "drained")
        #expect(reason(spec(GPURequest(model: "a100", count: 2)), [idle, down]) == "drained", "only a down node has a100s")
        #expect(reason(spec(GPURequest(model: "h100", count: 5)), [idle, drained]) == "capacity")
        #expect(reason(spec(GPURequest(model: nil, count: 0), cpus: 3000), [idle]) == "capacity")
        #expect(reason(spec(GPURequest(model: nil, count: 0), memory: 30_000), [idle]) == "capacity")
        #expect(reason(spec(GPURequest(model: nil, count: 0), cpus: 2000, memory: 20_000), [idle]) == nil)
        #expect(reason(spec(GPURequest(model: nil, count: 0), nodes: 2), [idle, drained]) == "drained")
        #expect(reason(spec(GPURequest(model: nil, count: 0), nodes: 3), [idle, drained]) == "capacity")
        #expect(reason(spec(GPURequest(model: "a100", count: 2), mig: "1g.10gb"), [mig]) == nil)
        #expect(reason(spec(GPURequest(model: "a100", count: 8), mig: "1g.10gb"), [mig]) == "capacity")
        #expect(reason(spec(two), []) == "capacity")
        do {
            _ = try SlurmRuntimeAdapter.candidates(for: spec(two), among: [drained], partition: "gpu")
        } catch {
            #expect(error.message.contains("localhost (drained: test drain"), "\(error.message)")
        }
    }

    @Test("a local node counts a GPU in MIG mode through its slices, never as a whole GPU")
    func localMIGGroups() {
        let whole = GPUDevice(index: 0, uuid: "GPU-0", name: "NVIDIA H100 80GB HBM3", modelId: "h100", memoryMiB: 81_559)
        let parent = GPUDevice(index: 1, uuid: "GPU-1", name: "NVIDIA H100 80GB HBM3", modelId: "h100", memoryMiB: 81_559, migEnabled: true)
        let slices = (0..<2).map {
            GPUDevice(index: 1, uuid: "MIG-1-\($0)", name: parent.name, modelId: "h100", memoryMiB: 10_240, migProfile: "1g.10gb", parentUUID: "GPU-1")
        }
        let node = NodeUsage(node: "h1", devices: [.init(device: whole, instance: "i1"), .init(device: parent, instance: nil),
                                                   .init(device: slices[0], instance: "i2"), .init(device: slices[1], instance: nil)])
        #expect(node.gpus == [NodeUsage.GPUGroup(model: "h100", count: 1, used: 1, usedIndices: [0]),
                              NodeUsage.GPUGroup(model: "h100", migProfile: "1g.10gb", count: 2, used: 1, usedIndices: [1])])
        #expect(node.state == .mixed && node.adapter == "local")
        let full = NodeUsage(node: "h1", devices: [.init(device: whole, instance: "i1"), .init(device: parent, instance: nil),
                                                   .init(device: slices[0], instance: "i2"), .init(device: slices[1], instance: "i3")])
        #expect(full.state == .allocated, "the MIG parent itself is never handed out")
    }

    @Test("a node list of the earlier shape (node and devices) still decodes, as a local node")
    func earlierShapeDecodes() throws {
        let json = #"[{"node":"h1","devices":[{"device":{"index":0,"uuid":"GPU-1","name":"NVIDIA H100 80GB HBM3","modelId":"h100","memoryMiB":81559},"instance":"i1"},{"device":{"index":1,"uuid":"GPU-2","name":"NVIDIA H100 80GB HBM3","modelId":"h100","memoryMiB":81559}}]}]"#
        let nodes = try JSONDecoder().decode([NodeUsage].self, from: Data(json.utf8))
        #expect(nodes.first?.adapter == "local" && nodes.first?.state == .mixed)
        #expect(nodes.first?.gpus == [NodeUsage.GPUGroup(model: "h100", count: 2, used: 1, usedIndices: [0])])
        let again = try JSONDecoder().decode([NodeUsage].self, from: try JSONEncoder().encode(nodes))
        #expect(again == nodes)
    }
}

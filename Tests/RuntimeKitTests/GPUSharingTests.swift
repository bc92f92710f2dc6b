import Foundation
import PlatformContracts
import PlatformTestKit
import RuntimeKit
import Testing

/// Placement by sharing mode and MIG profile, and MIG slices in discovery.
@Suite("GPU sharing and MIG")
struct GPUSharingTests {
    static let models = GPUInventoryTests.models

    /// A fake `nvidia-smi` answering the query (GPU 1 in MIG mode) and `-L` (its three slices).
    static func fakeMIGHost(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.appending("nvidia-smi-mig").path
        try Data("""
            #!/bin/sh
            case "$1" in
            --query-gpu=index,uuid,name,memory.total,mig.mode.current)
              echo "0, GPU-aaaaaaaa-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3, 81559, Disabled"
              echo "1, GPU-bbbbbbbb-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3, 81559, Enabled"
              echo "2, GPU-cccccccc-0000-0000-0000-000000000000, NVIDIA L40S, 46068, [N/A]" ;;
            -L)
              echo "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-aaaaaaaa-0000-0000-0000-000000000000)"
              echo "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-bbbbbbbb-0000-0000-0000-000000000000)"
              echo "  MIG 3g.40gb     Device  0: (UUID: MIG-bbbbbbbb-0000-0000-0000-000000000010)"
              echo "  MIG 1g.10gb     Device  1: (UUID: MIG-bbbbbbbb-0000-0000-0000-000000000011)"
              echo "  MIG 1g.10gb     Device  2: (UUID: MIG-bbbbbbbb-0000-0000-0000-000000000012)"
              echo "GPU 2: NVIDIA L40S (UUID: GPU-cccccccc-0000-0000-0000-000000000000)" ;;
            *) exit 64 ;;
            esac
            """.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test("a GPU in MIG mode is listed with its slices: parent, profile, memory from the profile, UUIDs for CUDA")
    func discoversMIG() async throws {
        try await withTemporaryDirectory { directory async throws in
            let devices = try NvidiaSMI.discover(binary: try Self.fakeMIGHost(directory), models: Self.models)
            #expect(devices.map { String($0.uuid.prefix(12)) } == ["GPU-aaaaaaaa", "GPU-bbbbbbbb", "MIG-bbbbbbbb", "MIG-bbbbbbbb", "MIG-bbbbbbbb", "GPU-cccccccc"])
            #expect(devices.map(\.migEnabled) == [false, true, false, false, false, false])
            let slices = devices.filter(\.isMIGSlice)
            #expect(slices.map(\.migProfile) == ["3g.40gb", "1g.10gb", "1g.10gb"])
            #expect(slices.map(\.memoryMiB) == [40_960, 10_240, 10_240])
            #expect(slices.allSatisfy { $0.parentUUID == devices[1].uuid && $0.index == 1 && $0.modelId == "h100" })
            #expect(GPUAllocation(instance: "i", node: "n", devices: [devices[0], slices[1]]).visibleDevices
                    == "0,MIG-bbbbbbbb-0000-0000-0000-000000000011")
        }
    }

    @Test("exclusive takes whole GPUs alone, shared shares them only with shared, mig takes free slices of the profile; a MIG GPU is never whole")
    func placementBySharing() async throws {
        try await withTemporaryDirectory { directory async throws in
            let devices = try NvidiaSMI.discover(binary: try Self.fakeMIGHost(directory), models: Self.models)
            let inventory = GPUInventory(nodes: [GPUNode(name: "n1", devices: devices)])

            // Only GPU 0 is a whole h100: GPU 1 is in MIG mode.
            let exclusive = try await inventory.allocate(instance: "ex", GPURequest(model: "h100", count: 1))
            #expect(exclusive.visibleDevices == "0")
            do {
                _ = try await inventory.allocate(instance: "ex2", GPURequest(model: "h100", count: 2))
                Issue.record("two whole h100 do not exist here")
            } catch let error as PlatformError {
                #expect(error.details["reason"] == "capacity" && error.message.contains("the largest has 1"), "\(error)")
            }
            do {
                _ = try await inventory.allocate(instance: "sh", GPURequest(model: "h100", count: 1, sharing: .shared))
                Issue.record("an exclusively held GPU is not shared")
            } catch let error as PlatformError {
                #expect(error.details["reason"] == "busy", "\(error)")
            }
            #expect(await inventory.release(instance: "ex"))
            let shared1 = try await inventory.allocate(instance: "sh1", GPURequest(model: "h100", count: 1, sharing: .shared))
            let shared2 = try await inventory.allocate(instance: "sh2", GPURequest(model: "h100", count: 1, sharing: .shared))
            #expect(shared1.devices == shared2.devices && shared1.visibleDevices == "0", "shared requests share a GPU")
            await #expect(throws: PlatformError(.runtimePlacementUnsatisfiable)) {
                try await inventory.allocate(instance: "ex3", GPURequest(model: "h100", count: 1))
            }

            let mig = GPURequest(model: "h100", count: 2, sharing: .mig, migProfile: "1g.10gb")
            let slices = try await inventory.allocate(instance: "m1", mig)
            #expect(slices.devices.map(\.migProfile) == ["1g.10gb", "1g.10gb"] && slices.devices.allSatisfy(\.isMIGSlice))
            #expect(slices.visibleDevices == "MIG-bbbbbbbb-0000-0000-0000-000000000011,MIG-bbbbbbbb-0000-0000-0000-000000000012")
            do {
                _ = try await inventory.allocate(instance: "m2", GPURequest(model: "h100", count: 1, sharing: .mig, migProfile: "1g.10gb"))
                Issue.record("both 1g.10gb slices are held")
            } catch let error as PlatformError {
                #expect(error.details["reason"] == "busy", "\(error)")
            }
            do {
                _ = try await inventory.allocate(instance: "m3", GPURequest(model: "h100", count: 1, sharing: .mig, migProfile: "2g.20gb"))
                Issue.record("no 2g.20gb slice exists")
            } catch let error as PlatformError {
                #expect(error.details["reason"] == "capacity" && error.message.contains("MIG 2g.20gb"), "\(error)")
            }
            let big = try await inventory.placement(for: GPURequest(model: nil, count: 1, sharing: .mig, migProfile: "3g.40gb"))
            #expect(big.map(\.uuid) == ["MIG-bbbbbbbb-0000-0000-0000-000000000010"])
            let l40s = try await inventory.placement(for: GPURequest(model: nil, count: 1, minMemoryMiB: 40_000))
            #expect(l40s.map(\.modelId) == ["l40s"], "any model: a whole GPU that is free (not the MIG GPU, not the shared one)")

            // A recovered MIG holder keeps its slices against newcomers.
            let restarted = GPUInventory(nodes: [GPUNode(name: "n1", devices: devices)])
            try await restarted.restore(slices, sharing: .mig)
            await #expect(throws: PlatformError(.runtimePlacementUnsatisfiable)) {
                try await restarted.allocate(instance: "m4", GPURequest(model: "h100", count: 1, sharing: .mig, migProfile: "1g.10gb"))
            }
        }
    }

    @Test("a stored request or spec from before sharing modes decodes as exclusive, or shared from the old flag")
    func oldRowsDecode() throws {
        let request = try JSONDecoder().decode(GPURequest.self, from: Data(#"{"model":"h100","count":2,"minMemoryMiB":0}"#.utf8))
        #expect(request == GPURequest(model: "h100", count: 2))
        var spec = LaunchSpec(instanceId: "i", project: "p", app: "a", version: "1", mode: .job,
                              image: .init(repository: "p/a", manifestDigest: try ContentDigest(parsing: "sha256:" + String(repeating: "a", count: 64))), command: ["x"],
                              gpus: GPURequest(model: "h100", count: 1, sharing: .mig, migProfile: "1g.10gb"))
        let roundTrip = try JSONDecoder().decode(LaunchSpec.self, from: JSONEncoder().encode(spec))
        #expect(roundTrip.gpuSharing == .mig && roundTrip.migProfile == "1g.10gb")
        spec.gpus = GPURequest(model: "h100", count: 1)
        var old = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(spec)) as? [String: Any])
        old["gpus"] = ["model": "h100", "count": 1, "minMemoryMiB": 0]
        old["gpuSharing"] = true
        let legacy = try JSONDecoder().decode(LaunchSpec.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(legacy.gpuSharing == .shared)
    }
}

import Foundation
import PlatformContracts
import PlatformTestKit
import RuntimeKit
import Testing

@Suite("GPU discovery and placement")
struct GPUInventoryTests {
    static let models = GPUModelRegistry(registry: "gpu-model", version: 1, models: [
        GPUModelDefinition(modelId: "h100", name: "NVIDIA H100 80GB HBM3", memoryMib: 81559, migProfiles: []),
        GPUModelDefinition(modelId: "l40s", name: "NVIDIA L40S", memoryMib: 46068, migProfiles: []),
    ])

    /// A fake `nvidia-smi` that prints `output` and exits with `status`.
    static func fake(_ directory: TemporaryDirectory, output: String, status: Int32) throws -> String {
        let path = directory.appending("nvidia-smi-\(status)").path
        let script = "#!/bin/sh\n[ \"$1\" = \"\(NvidiaSMI.arguments[0])\" ] || exit 64\ncat <<'CSV'\n\(output)CSV\nexit \(status)\n"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    static let fourH100 = (0..<4).map { "\($0), GPU-22b2c6ac-0000-0000-0000-00000000000\($0), NVIDIA H100 80GB HBM3, 81559\n" }.joined()

    @Test("nvidia-smi's CSV becomes devices named by the gpu-model registry")
    func discovery() async throws {
        try await withTemporaryDirectory { directory async throws in
            let devices = try NvidiaSMI.discover(binary: try Self.fake(directory, output: Self.fourH100 + "4, GPU-ffff, Some Future GPU, 1024\n", status: 0),
                                                 models: Self.models)
            #expect(devices.count == 5)
            #expect(devices[0] == GPUDevice(index: 0, uuid: "GPU-22b2c6ac-0000-0000-0000-000000000000", name: "NVIDIA H100 80GB HBM3",
                                            modelId: "h100", memoryMiB: 81559))
            #expect(devices[4].modelId == nil, "a model the registry does not list has no id")
        }
    }

    @Test("a missing binary, exit 9 and exit 12 mean no GPUs; other failures and garbage are errors")
    func noDriver() async throws {
        try await withTemporaryDirectory { directory async throws in
            #expect(try NvidiaSMI.discover(binary: directory.appending("absent").path, models: Self.models).isEmpty)
            #expect(try NvidiaSMI.discover(binary: try Self.fake(directory, output: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n", status: 9), models: Self.models).isEmpty)
            #expect(try NvidiaSMI.discover(binary: try Self.fake(directory, output: "NVML Shared Library Not Found\n", status: 12), models: Self.models).isEmpty)
            #expect(throws: PlatformError(.runtimeGPUDiscoveryFailed)) {
                try NvidiaSMI.discover(binary: try Self.fake(directory, output: "Unknown Error\n", status: 15), models: Self.models)
            }
            #expect(throws: PlatformError(.runtimeGPUDiscoveryFailed)) {
                try NvidiaSMI.parse("0, not-a-uuid, NVIDIA H100 80GB HBM3\n", models: Self.models)
            }
        }
    }

    @Test("placement honours model, count and memory, never shares a device, and releases on stop")
    func placement() async throws {
        let h100 = try NvidiaSMI.parse(Self.fourH100, models: Self.models)
        let l40s = [GPUDevice(index: 0, uuid: "GPU-l40s-0", name: "NVIDIA L40S", modelId: "l40s", memoryMiB: 46068)]
        let inventory = GPUInventory(nodes: [GPUNode(name: "small", devices: l40s), GPUNode(name: "big", devices: h100)])

        let first = try await inventory.allocate(instance: "i1", GPURequest(model: "h100", count: 2))
        #expect(first.node == "big" && first.visibleDevices == "0,1")
        let second = try await inventory.allocate(instance: "i2", GPURequest(model: "h100", count: 2))
        #expect(second.visibleDevices == "2,3")
        #expect(Set(first.devices).isDisjoint(with: second.devices))
        #expect(try await inventory.allocate(instance: "i1", GPURequest(model: "h100", count: 2)) == first, "allocation is idempotent per instance")

        await #expect(throws: PlatformError(.runtimePlacementUnsatisfiable)) {
            try await inventory.allocate(instance: "i3", GPURequest(model: "h100", count: 1))
        }
        do {
            _ = try await inventory.allocate(instance: "i4", GPURequest(model: "h100", count: 5))
            Issue.record("5 H100 fit nowhere")
        } catch {
            #expect(error.details["reason"] == "capacity" && error.message.contains("the largest has 4"))
        }
        let anyWithMemory = try await inventory.allocate(instance: "i5", GPURequest(model: nil, count: 1, minMemoryMiB: 40_000))
        #expect(anyWithMemory.node == "small")
        await #expect(throws: PlatformError(.runtimePlacementUnsatisfiable)) {
            try await inventory.allocate(instance: "i6", GPURequest(model: nil, count: 1, minMemoryMiB: 100_000))
        }

        #expect(await inventory.release(instance: "i1"))
        let third = try await inventory.allocate(instance: "i3", GPURequest(model: "h100", count: 2))
        #expect(third.visibleDevices == "0,1")
        let usage = await inventory.snapshot()
        #expect(usage.first { $0.node == "big" }?.devices.compactMap(\.instance).sorted() == ["i2", "i2", "i3", "i3"])
    }
}

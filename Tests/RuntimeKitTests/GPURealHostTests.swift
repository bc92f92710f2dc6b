import Foundation
import LocalRuntimeAdapter
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RuntimeKit
import Testing

/// The real check for a machine with NVIDIA GPUs (`scripts/gpu-check.sh` runs it with
/// `PLATFORM_GPU_CHECK=1`; skipped everywhere else): discovery through the real `nvidia-smi`,
/// the CDI spec generated from this host, and a runc container of the local adapter that
/// opens its GPU's device node and the control node, finds the driver's libcuda and
/// libnvidia-ml, and cannot see another GPU's node.
@Suite("GPUs on a real host", .serialized, .tags(.integration),
       .enabled(if: ProcessInfo.processInfo.environment["PLATFORM_GPU_CHECK"] == "1", "PLATFORM_GPU_CHECK=1 on a GPU machine"))
struct GPURealHostTests {
    static let models = GPUModelRegistry(registry: "gpu-model", version: 1, models: [])

    @Test("nvidia-smi lists the GPUs (and MIG slices), the CDI spec names their nodes and the driver, a container opens its own GPU")
    func containerSeesTheGPU() async throws {
        let devices = try NvidiaSMI.discover(models: Self.models)
        try #require(!devices.isEmpty, "nvidia-smi lists no GPU on this machine")
        print("gpu-check: \(devices.count) device(s): \(devices.map { "\($0.cudaName) \($0.name)\($0.migProfile.map { " MIG \($0)" } ?? "")" }.joined(separator: "; "))")
        let spec = NvidiaCDIGenerator(ldconfigListing: NvidiaCDIGenerator.hostLinkerCache()).generate(devices: devices)
        print(String(decoding: try spec.encoded(), as: UTF8.self))
        let mounts = spec.containerEdits.mounts?.map(\.containerPath) ?? []
        #expect(mounts.contains { $0.hasSuffix("/libcuda.so.1") }, "the driver's libcuda is in the spec")
        #expect(mounts.contains { $0.hasSuffix("/libnvidia-ml.so.1") }, "NVML is in the spec")
        #expect(spec.containerEdits.deviceNodes?.contains { $0.path == "/dev/nvidiactl" } == true)
        let candidate = devices.first(where: { !$0.isMIGSlice && !$0.migEnabled }) ?? devices.first(where: \.isMIGSlice)
        let whole = try #require(candidate)
        let nodes = try spec.edits(forDevices: [whole.uuid]).deviceNodes?.map(\.path) ?? []
        let gpuNode = nodes.first(where: { $0.hasPrefix("/dev/nvidia") && Int($0.dropFirst("/dev/nvidia".count)) != nil })
        let own = try #require(gpuNode, "\(nodes)")
        let others = (0..<16).map { "/dev/nvidia\($0)" }.filter { $0 != own && FileManager.default.fileExists(atPath: $0) }

        try await withTemporaryDirectory { directory async throws in
            let blobs = try FileSystemBlobStore(root: directory.url.appendingPathComponent("blobs"))
            let digest = try await TestImage.busybox(into: blobs, scratch: try makeFolder(directory.appending("image")))
            let root = try makeFolder(directory.appending("runtime"))
            let inventory = GPUInventory(nodes: [GPUNode(name: "localhost", devices: devices)])
            let adapter = LocalRuntimeAdapter(root: root, inventory: inventory, blobs: blobs, node: "localhost", cdi: spec)
            let script = """
                head -c 0 < \(own) && echo "opened \(own)"
                head -c 0 < /dev/nvidiactl && echo "opened /dev/nvidiactl"
                for other in \(others.joined(separator: " ")); do [ -e "$other" ] && echo "sees $other"; done
                for dir in $(echo "$LD_LIBRARY_PATH" | tr : ' ') /usr/lib/x86_64-linux-gnu /usr/lib64; do
                  [ -f "$dir/libcuda.so.1" ] && echo "libcuda in $dir"; [ -f "$dir/libnvidia-ml.so.1" ] && echo "nvml in $dir"
                done
                echo "gpus=$CUDA_VISIBLE_DEVICES"
                """
            let request = whole.isMIGSlice ? GPURequest(model: whole.modelId, count: 1, sharing: .mig, migProfile: whole.migProfile)
                : GPURequest(model: whole.modelId, count: 1)
            let launch = LaunchSpec(instanceId: "GPU-CHECK", project: "p1", app: "gpu-check", version: "1", mode: .job,
                                    image: .init(repository: "p1/busybox", manifestDigest: digest), command: ["/bin/sh", "-c", script], gpus: request)
            let handle = try await adapter.start(launch, plan: try await adapter.plan(launch))
            var state = try await adapter.inspect(handle).state
            for _ in 0..<600 where !state.isTerminal {
                try await Task.sleep(for: .milliseconds(100))
                state = try await adapter.inspect(handle).state
            }
            let text = try await allLogs(adapter, handle)
            print("gpu-check container output:\n\(text)")
            #expect(state == .exited(code: 0), "\(state)")
            #expect(text.contains("opened \(own)") && text.contains("opened /dev/nvidiactl"), "\(text)")
            #expect(!text.contains("sees /dev/nvidia"), "another GPU's node is not in the container: \(text)")
            #expect(text.contains("libcuda in") && text.contains("nvml in"), "\(text)")
            #expect(text.contains("gpus=\(whole.cudaName)"), "\(text)")
            try await adapter.destroy(handle)
            await LocalRuntimeAdapter.reclaimNetworks(under: root)
        }
    }
}

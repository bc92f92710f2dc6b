import Foundation
import PlatformContracts
import RuntimeKit
import Testing

/// GPUs as a real node gives them: the host's CDI spec (here a fake driver tree with
/// character devices, a libcuda and an nvidia-smi; ConformanceEnvironment) applied by the
/// adapters that run a real image. The in-memory twin has no host to take devices from:
/// its GPU contract (placement, CUDA_VISIBLE_DEVICES) is `gpusReachTheProcess`.
extension AdapterConformanceTests {
    /// What the GPU workload reports from inside the instance: which device nodes it sees,
    /// the driver library and tool the CDI mounts bring, and its visible devices.
    static let gpuProbe = """
        for d in /dev/nvidiactl /dev/nvidia0 /dev/nvidia1 /dev/nvidia2 /dev/nvidia3 /dev/nvidia-caps/nvidia-cap21; do
          [ -c "$d" ] && echo "node $d"
        done
        for dir in $(echo "$LD_LIBRARY_PATH" | tr : ' ') /usr/lib/x86_64-linux-gnu; do
          [ -f "$dir/libcuda.so.1" ] && { printf 'lib '; cat "$dir/libcuda.so.1"; break; }
        done
        nvidia-smi
        echo "gpus=$CUDA_VISIBLE_DEVICES"
        """

    @Test("resources.gpu: the placed GPUs reach the process through the host's CDI spec: only their own device nodes, the driver library, nvidia-smi",
          arguments: AdapterKind.imageRunners)
    func cdiReachesTheProcess(_ kind: AdapterKind) async throws {
        // Proves resources.gpu on local and slurm (LaunchFeatureProof).
        let fixture = try await ConformanceEnvironment.fixture(kind)
        var spec = fixture.spec("CONF-CDI", .printGPUs, gpus: fixture.gpuCase.request)
        spec.command = ["/bin/sh", "-c", Self.gpuProbe]
        let (handle, ended) = try await startAndWait(fixture.adapter, spec)
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        let seen = fixture.gpuCase.expected.first(where: { text.contains("gpus=\($0)\n") })
        let visible = try #require(seen, "\(text)")
        let own = Set(visible.split(separator: ",").map(String.init))
        for index in 0..<4 {
            #expect(text.contains("node /dev/nvidia\(index)\n") == own.contains(String(index)), "only its own GPUs' nodes (\(kind)): \(text)")
        }
        #expect(text.contains("node /dev/nvidiactl\n"), "\(text)")
        #expect(text.contains("lib \(FakeGPUHost.libcudaText)"), "the driver library, bound read-only: \(text)")
        #expect(text.contains("fake nvidia-smi\n"), "the driver's tool on PATH: \(text)")
        try await fixture.adapter.release(handle)
        try await fixture.adapter.destroy(handle)
    }

    @Test("resources.gpu.migProfile: sharing mig places a free slice of the profile; the process sees its UUID, its GPU's node and MIG capability",
          arguments: [AdapterKind.local])
    func migSliceReachesTheProcess(_ kind: AdapterKind) async throws {
        // Proves resources.gpu.migProfile on local (LaunchFeatureProof).
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let slice = GPURequest(model: "h100", count: 1, sharing: .mig, migProfile: "1g.10gb")
        var spec = fixture.spec("CONF-MIG", .printGPUs, gpus: slice)
        spec.command = ["/bin/sh", "-c", Self.gpuProbe]
        let (handle, ended) = try await startAndWait(fixture.adapter, spec)
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        #expect(text.contains("gpus=MIG-fake-2-0\n"), "CUDA names a slice by its UUID: \(text)")
        #expect(text.contains("node /dev/nvidia2\n") && text.contains("node /dev/nvidia-caps/nvidia-cap21\n"), "\(text)")
        #expect(!text.contains("node /dev/nvidia0\n") && !text.contains("node /dev/nvidia1\n"), "\(text)")
        // The MIG GPU is never handed out whole, and a second 1g.10gb slice is still free.
        if let inventory = fixture.inventory {
            await #expect(throws: PlatformError(.runtimePlacementUnsatisfiable)) {
                try await inventory.placement(for: GPURequest(model: "h100", count: 3))
            }
            #expect(try await inventory.placement(for: slice).map(\.uuid) == ["MIG-fake-2-1"])
        }
        try await fixture.adapter.release(handle)
        try await fixture.adapter.destroy(handle)
    }
}

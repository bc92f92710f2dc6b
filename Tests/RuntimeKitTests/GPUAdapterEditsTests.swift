import Foundation
@testable import LocalRuntimeAdapter
import PlatformContracts
import PlatformTestKit
import RuntimeKit
@testable import SlurmRuntimeAdapter
import Testing

/// The host's CDI edits as each adapter applies them: into the OCI config (local) and into
/// the job script's bwrap arguments (Slurm).
@Suite("CDI edits in the adapters")
struct GPUAdapterEditsTests {
    @Test("the OCI config gets the device nodes as binds with exact cgroup rules, the libraries read-only, and the library path")
    func ociConfig() async throws {
        try await withTemporaryDirectory { directory async throws in
            let host = directory.url.appendingPathComponent("host")
            guard try FakeGPUHost.build(at: host, gpus: 2) else { return }  // mknod needs root
            let spec = NvidiaCDIGenerator(hostRoot: host).generate(devices: FakeGPUHost.devices(2))
            let image = try makeFolder(directory.appending("rootfs"))
            let edits = try spec.edits(forDevices: ["GPU-fake-1"]).placed(inImage: image)
            var config: [String: Any] = [
                "process": ["env": ["PATH=/bin", "CUDA_VISIBLE_DEVICES=1"]] as [String: Any],
                "mounts": [["destination": "/run", "type": "tmpfs", "source": "tmpfs"]],
                "linux": ["resources": ["devices": [["allow": false, "access": "rwm"]]]] as [String: Any],
            ]
            OCIRuntimeConfig.applyGPUs(edits, to: &config)
            let mounts = try #require(config["mounts"] as? [[String: Any]])
            let destinations = mounts.compactMap { $0["destination"] as? String }
            #expect(destinations == ["/run", "/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia1",
                                     "/run/nvidia\(FakeGPUHost.libraryFolder)/libcuda.so.1", "/run/nvidia\(FakeGPUHost.libraryFolder)/libcuda.so.999.1",
                                     "/run/nvidia\(FakeGPUHost.libraryFolder)/libnvidia-ml.so.999.1", "/run/nvidia/usr/bin/nvidia-smi"])
            #expect(!destinations.contains("/dev/nvidia0"), "only the instance's own GPU")
            #expect(mounts[3]["source"] as? String == host.path + "/dev/nvidia1")
            #expect((mounts[4]["options"] as? [String])?.contains("ro") == true)
            let rules = try #require(((config["linux"] as? [String: Any])?["resources"] as? [String: Any])?["devices"] as? [[String: Any]])
            #expect(rules.count == 4 && rules.dropFirst().allSatisfy { $0["allow"] as? Bool == true && $0["major"] as? Int64 == 1 && $0["minor"] as? Int64 == 3 })
            let environment = try #require((config["process"] as? [String: Any])?["env"] as? [String])
            #expect(environment.contains("LD_LIBRARY_PATH=/run/nvidia\(FakeGPUHost.libraryFolder)"))
            #expect(environment.contains("PATH=/bin:/run/nvidia/usr/bin") && environment.contains("CUDA_VISIBLE_DEVICES=1"))
        }
    }

    @Test("the job script binds the CDI edits of the GPUs Slurm gave the job, and nothing without GPUs")
    func slurmBinds() async throws {
        try await withTemporaryDirectory { directory async throws in
            let host = directory.url.appendingPathComponent("host")
            let nodes = try FakeGPUHost.build(at: host, gpus: 4)
            let spec = NvidiaCDIGenerator(hostRoot: host).generate(devices: FakeGPUHost.devices(4))
            let setup = SlurmJobScript.gpuSetup(cdi: spec, rootfs: try makeFolder(directory.appending("rootfs")), environment: ["PATH": "/bin"])
            #expect(setup.contains("gpu_bind --ro-bind '\(host.path)\(FakeGPUHost.libraryFolder)/libcuda.so.999.1' '/run/nvidia\(FakeGPUHost.libraryFolder)/libcuda.so.1'"))
            // Run it as the job would, with what Slurm sets, and read the bwrap arguments back.
            func arguments(visible: String) async throws -> [String] {
                let script = setup + "\nprintf '%s\\n' \"${gpu_binds[@]}\" \"${gpu_env[@]}\"\n"
                let result = try await HostCommand.run("/usr/bin/env", ["CUDA_VISIBLE_DEVICES=\(visible)", "/bin/bash", "-c", script])
                #expect(result.status == 0, "\(result.problem)")
                return result.stdout.split(separator: "\n").map(String.init)
            }
            #expect(try await arguments(visible: "").isEmpty)
            let two = try await arguments(visible: "2,3")
            if nodes {
                #expect(two.contains("\(host.path)/dev/nvidia2") && two.contains("/dev/nvidia3") && !two.contains("/dev/nvidia0"))
                #expect(two.contains("/dev/nvidiactl"))
            }
            #expect(two.contains("/run/nvidia/usr/bin/nvidia-smi") && two.contains("LD_LIBRARY_PATH"))
            #expect(two.contains("/run/nvidia\(FakeGPUHost.libraryFolder)"), "\(two)")
            // A device the spec does not know falls back to /dev/nvidia<index>, skipped when absent.
            let unknown = try await arguments(visible: "7")
            #expect(!unknown.contains("/dev/nvidia7"))
        }
    }
}

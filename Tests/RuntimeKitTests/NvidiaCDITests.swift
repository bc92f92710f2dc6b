import Foundation
import PlatformContracts
import PlatformTestKit
import RuntimeKit
import Testing

/// The CDI spec generated from a host tree, and its edits fitted to a read-only image.
@Suite("CDI spec from the host")
struct NvidiaCDITests {
    static let slice = GPUDevice(index: 0, uuid: "MIG-fake-0-0", name: "NVIDIA H100 80GB HBM3", modelId: "h100", memoryMiB: 10_240,
                                 migProfile: "1g.10gb", parentUUID: "GPU-fake-0")

    @Test("devices by index and UUID with their nodes; common edits: control nodes, driver libraries (links resolved), tools")
    func generatesFromTheHost() async throws {
        try await withTemporaryDirectory { directory async throws in
            let root = directory.url.appendingPathComponent("host")
            let nodesMade = try FakeGPUHost.build(at: root, gpus: 2)
            let spec = NvidiaCDIGenerator(hostRoot: root).generate(devices: FakeGPUHost.devices(2) + [Self.slice])
            #expect(spec.cdiVersion == "0.6.0" && spec.kind == "nvidia.com/gpu")
            #expect(spec.devices.map(\.name) == ["0", "GPU-fake-0", "1", "GPU-fake-1", "0:0", "MIG-fake-0-0"])

            let lib = FakeGPUHost.libraryFolder
            let mounts = try #require(spec.containerEdits.mounts)
            #expect(mounts.map(\.containerPath) == ["\(lib)/libcuda.so.1", "\(lib)/libcuda.so.999.1", "\(lib)/libnvidia-ml.so.999.1", "/usr/bin/nvidia-smi"],
                    "only driver files, never the host root's prefix in the container")
            #expect(mounts[0].hostPath == root.path + "\(lib)/libcuda.so.999.1", "a link is bound as the library it names")
            #expect(mounts.allSatisfy { $0.readOnly && $0.options?.contains("nosuid") == true })
            guard nodesMade else { return }  // mknod needs root
            #expect(spec.containerEdits.deviceNodes?.map(\.path) == ["/dev/nvidiactl", "/dev/nvidia-uvm"])
            let gpu1 = try #require(spec.devices.first(where: { $0.name == "GPU-fake-1" })?.containerEdits.deviceNodes)
            #expect(gpu1 == [CDIDeviceNode(path: "/dev/nvidia1", hostPath: root.path + "/dev/nvidia1", type: "c", major: 1, minor: 3, permissions: "rw")])
            let slice = try #require(spec.devices.first(where: { $0.name == "MIG-fake-0-0" })?.containerEdits.deviceNodes)
            #expect(slice.map(\.path) == ["/dev/nvidia0", "/dev/nvidia-caps/nvidia-cap21"], "a slice gets its parent's node and its MIG capability")

            let edits = try spec.edits(forDevices: ["GPU-fake-1"])
            #expect(edits.deviceNodes?.map(\.path) == ["/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia1"])
            #expect(throws: CDISpecError.unknownDevice("nvidia.com/gpu=GPU-nope")) { try spec.edits(forDevices: ["GPU-nope"]) }
            #expect(try spec.edits(forDevices: []).isEmpty, "no GPUs, no edits")

            // The document is CDI JSON: the fields the spec names, no Swift-only ones.
            let json = try #require(try JSONSerialization.jsonObject(with: spec.encoded()) as? [String: Any])
            #expect(Set(json.keys) == ["cdiVersion", "kind", "devices", "containerEdits"])
            let common = try #require(json["containerEdits"] as? [String: Any])
            let first = try #require((common["deviceNodes"] as? [[String: Any]])?.first)
            #expect(first["path"] as? String == "/dev/nvidiactl" && first["type"] as? String == "c" && first["major"] as? Int == 1)
        }
    }

    @Test("a host without a driver gives devices with no nodes and no common edits")
    func emptyHost() async throws {
        try await withTemporaryDirectory { directory async throws in
            let spec = NvidiaCDIGenerator(hostRoot: directory.url).generate(devices: FakeGPUHost.devices(1))
            #expect(spec.devices.map(\.name) == ["0", "GPU-fake-0"])
            #expect(spec.devices.allSatisfy { $0.containerEdits.isEmpty } && spec.containerEdits.isEmpty)
        }
    }

    @Test("ldconfig -p names libraries outside the usual folders")
    func linkerCache() async throws {
        try await withTemporaryDirectory { directory async throws in
            let root = directory.url
            try FileManager.default.createDirectory(atPath: root.path + "/opt/driver", withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: root.path + "/opt/driver/libnvidia-ptxjitcompiler.so.1"))
            let listing = "2 libs found in cache `/etc/ld.so.cache'\n\tlibnvidia-ptxjitcompiler.so.1 (libc6,x86-64) => /opt/driver/libnvidia-ptxjitcompiler.so.1\n\tlibc.so.6 (libc6,x86-64) => /lib/libc.so.6\n"
            let spec = NvidiaCDIGenerator(hostRoot: root, ldconfigListing: listing).generate(devices: [])
            #expect(spec.containerEdits.mounts?.map(\.containerPath) == ["/opt/driver/libnvidia-ptxjitcompiler.so.1"])
        }
    }

    @Test("mounts the image has no target for move below /run/nvidia and join LD_LIBRARY_PATH or PATH; present targets stay")
    func placedInImage() async throws {
        try await withTemporaryDirectory { directory async throws in
            let image = directory.url.appendingPathComponent("rootfs")
            try FileManager.default.createDirectory(atPath: image.path + "/usr/lib", withIntermediateDirectories: true)
            try Data().write(to: URL(fileURLWithPath: image.path + "/usr/lib/libnvidia-ml.so.1"))
            let edits = CDIContainerEdits(
                deviceNodes: [CDIDeviceNode(path: "/dev/nvidia0")],
                mounts: [CDIMount(hostPath: "/h/libcuda.so.1", containerPath: "/usr/lib/x86_64-linux-gnu/libcuda.so.1", options: ["ro"]),
                         CDIMount(hostPath: "/h/libnvidia-ml.so.1", containerPath: "/usr/lib/libnvidia-ml.so.1", options: ["ro"]),
                         CDIMount(hostPath: "/h/nvidia-smi", containerPath: "/usr/bin/nvidia-smi", options: ["ro"])])
            let placed = edits.placed(inImage: image)
            #expect(placed.edits.mounts?.map(\.containerPath) == ["/run/nvidia/usr/lib/x86_64-linux-gnu/libcuda.so.1", "/usr/lib/libnvidia-ml.so.1",
                                                                  "/run/nvidia/usr/bin/nvidia-smi"])
            #expect(placed.edits.deviceNodes == edits.deviceNodes, "device nodes land on the instance's own /dev")
            let environment = placed.environment(["LD_LIBRARY_PATH": "/app/lib", "PATH": "/bin"])
            #expect(environment["LD_LIBRARY_PATH"] == "/run/nvidia/usr/lib/x86_64-linux-gnu:/app/lib")
            #expect(environment["PATH"] == "/bin:/run/nvidia/usr/bin")
        }
    }
}

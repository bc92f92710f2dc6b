import Foundation
import PlatformContracts
import RuntimeKit
#if canImport(Glibc)
import Glibc
#endif

/// A host tree with what an NVIDIA driver installs, for the CDI generator and the adapters'
/// GPU checks: character devices `dev/nvidia0…N-1`, `dev/nvidiactl`, `dev/nvidia-uvm` (made
/// with `mknod` as `/dev/null`'s numbers, so opening one is harmless; root only), a
/// `libcuda.so.999.1` with its `libcuda.so.1` link, `libnvidia-ml.so.999.1`, an unrelated
/// library, an executable `usr/bin/nvidia-smi` that prints `fake nvidia-smi`, and the
/// driver's `/proc` files naming GPU minors and one MIG capability.
enum FakeGPUHost {
    static let libraryFolder = "/usr/lib/x86_64-linux-gnu"
    static let libcudaText = "fake libcuda 999\n"
    /// `/dev/null`'s numbers (1, 3) as a `dev_t` (glibc's `makedev` is a macro Swift does not see).
    static let nullDevice = dev_t((1 << 8) | 3)

    /// Builds the tree under `root` for `gpus` GPUs; returns whether the device nodes could be made.
    @discardableResult
    static func build(at root: URL, gpus: Int, migGPU: Int = 0) throws -> Bool {
        let fm = FileManager.default
        func folder(_ path: String) throws -> String {
            try fm.createDirectory(atPath: root.path + path, withIntermediateDirectories: true)
            return root.path + path
        }
        let dev = try folder("/dev")
        var made = true
        for name in (0..<gpus).map({ "nvidia\($0)" }) + ["nvidiactl", "nvidia-uvm"] {
            if mknod("\(dev)/\(name)", S_IFCHR | 0o666, Self.nullDevice) != 0, errno != EEXIST { made = false }
        }
        let caps = try folder("/dev/nvidia-caps")
        if mknod("\(caps)/nvidia-cap21", S_IFCHR | 0o444, Self.nullDevice) != 0, errno != EEXIST { made = false }
        let lib = try folder(libraryFolder)
        try Data(libcudaText.utf8).write(to: URL(fileURLWithPath: "\(lib)/libcuda.so.999.1"))
        try? fm.createSymbolicLink(atPath: "\(lib)/libcuda.so.1", withDestinationPath: "libcuda.so.999.1")
        try Data("fake nvml\n".utf8).write(to: URL(fileURLWithPath: "\(lib)/libnvidia-ml.so.999.1"))
        try Data("not a driver library\n".utf8).write(to: URL(fileURLWithPath: "\(lib)/libz.so.1"))
        let bin = try folder("/usr/bin")
        try Data("#!/bin/sh\necho fake nvidia-smi\n".utf8).write(to: URL(fileURLWithPath: "\(bin)/nvidia-smi"))
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(bin)/nvidia-smi")
        // The driver's view: GPU i's minor is i; GPU `migGPU`'s MIG instance gi 1 / ci 0 uses cap 21.
        for index in 0..<gpus {
            let info = try folder("/proc/driver/nvidia/gpus/0000:0\(index):00.0")
            try Data("Model: \t NVIDIA H100 80GB HBM3\nGPU UUID: \t GPU-fake-\(index)\nDevice Minor: \t \(index)\n".utf8)
                .write(to: URL(fileURLWithPath: "\(info)/information"))
        }
        let mig = try folder("/proc/driver/nvidia/capabilities/gpu\(migGPU)/mig/gi1/ci0")
        try Data("DeviceFileMinor: 21\nDeviceFileMode: 292\n".utf8).write(to: URL(fileURLWithPath: "\(mig)/access"))
        return made
    }

    /// Whole GPUs `GPU-fake-<i>` (h100), as the conformance fixtures' inventories name them.
    static func devices(_ count: Int) -> [GPUDevice] {
        (0..<count).map { GPUDevice(index: $0, uuid: "GPU-fake-\($0)", name: "NVIDIA H100 80GB HBM3", modelId: "h100", memoryMiB: 81_559) }
    }

    /// `wholeGPUs` whole GPUs, then one more in MIG mode with two `1g.10gb` slices
    /// (`MIG-fake-<i>-0`, `MIG-fake-<i>-1`): the local conformance fixture's node.
    static func devicesWithMIG(wholeGPUs: Int) -> [GPUDevice] {
        let parent = GPUDevice(index: wholeGPUs, uuid: "GPU-fake-\(wholeGPUs)", name: "NVIDIA H100 80GB HBM3", modelId: "h100",
                               memoryMiB: 81_559, migEnabled: true)
        return devices(wholeGPUs) + [parent] + (0..<2).map {
            GPUDevice(index: wholeGPUs, uuid: "MIG-fake-\(wholeGPUs)-\($0)", name: parent.name, modelId: "h100", memoryMiB: 10_240,
                      migProfile: "1g.10gb", parentUUID: parent.uuid)
        }
    }

    /// The CDI spec of a fake host with `devices` under `root` (built when absent; MIG
    /// capabilities on the GPU that has slices).
    static func spec(at root: URL, devices: [GPUDevice]) throws -> CDISpec {
        let gpus = (devices.filter { !$0.isMIGSlice }.map(\.index).max() ?? -1) + 1
        try build(at: root, gpus: gpus, migGPU: devices.first { $0.isMIGSlice }?.index ?? 0)
        return NvidiaCDIGenerator(hostRoot: root).generate(devices: devices)
    }
}

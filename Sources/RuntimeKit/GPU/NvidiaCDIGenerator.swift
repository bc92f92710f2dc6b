import Foundation
import PlatformContracts
#if canImport(Glibc)
import Glibc
#endif

/// Writes the CDI spec of a host's NVIDIA GPUs from what the host has, as `nvidia-ctk cdi
/// generate` would, without NVML: the device nodes under `/dev`, the driver's user-space
/// libraries in the usual library folders (and `ldconfig -p`), its tools on the `PATH`.
///
/// - Each GPU is a device named by its index and by its UUID: its `/dev/nvidia<minor>` node
///   (the minor from `/proc/driver/nvidia/gpus/*/information` when the driver lists it, else
///   the index).
/// - Each MIG slice is a device named `<gpu>:<n>` and by its `MIG-…` UUID: its parent's node and
///   the MIG capability nodes (`/dev/nvidia-caps/nvidia-cap<N>`) the driver lists for the
///   parent's GPU instances (`/proc/driver/nvidia/capabilities/gpu<minor>/mig/gi*/…/access`).
/// - Common edits: `/dev/nvidiactl`, `/dev/nvidia-uvm`, `/dev/nvidia-uvm-tools`,
///   `/dev/nvidia-modeset` as present; every file of the driver libraries (``libraries``),
///   each bound read-only at its own path (symlinks resolved, so `libcuda.so.1` is the real
///   library); the tools (``binaries``) read-only.
///
/// Only what exists is listed. `hostRoot` is `/` on a real host; a test points it at a fake
/// tree (root can `mknod` character devices there); paths in the container never carry it.
public struct NvidiaCDIGenerator: Sendable {
    /// Driver libraries a CUDA program may load (prefixes of the file names).
    public static let libraries = ["libcuda.so", "libcudadebugger.so", "libnvidia-ml.so", "libnvidia-ptxjitcompiler.so", "libnvidia-nvvm.so",
                                   "libnvidia-opencl.so", "libnvidia-gpucomp.so", "libnvidia-allocator.so", "libnvidia-cfg.so"]
    /// Driver tools.
    public static let binaries = ["nvidia-smi", "nvidia-debugdump", "nvidia-persistenced", "nvidia-cuda-mps-control", "nvidia-cuda-mps-server"]
    /// Where libraries are looked for (below the host root).
    public static let libraryDirectories = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
                                            "/lib/x86_64-linux-gnu", "/lib64", "/usr/local/nvidia/lib64"]
    /// Where tools are looked for.
    public static let binaryDirectories = ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin"]
    /// Control nodes every GPU container needs.
    public static let controlNodes = ["/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset"]

    /// The host's root (`/`).
    public let hostRoot: URL
    /// `ldconfig -p` output, when the generator may use the host's linker cache (real hosts).
    public let ldconfigListing: String?

    /// Creates a generator.
    public init(hostRoot: URL = URL(fileURLWithPath: "/"), ldconfigListing: String? = nil) {
        self.hostRoot = hostRoot
        self.ldconfigListing = ldconfigListing
    }

    /// The spec for `devices` (whole GPUs and MIG slices) as this host has them.
    public func generate(devices: [GPUDevice]) -> CDISpec {
        let minors = deviceMinors()
        var cdiDevices: [CDIDevice] = []
        var sliceNumber: [String: Int] = [:]
        for device in devices {
            let parentUUID = device.parentUUID ?? device.uuid
            let minor = minors[parentUUID] ?? device.index
            var nodes = [node("/dev/nvidia\(minor)")].compactMap { $0 }
            let names: [String]
            if device.isMIGSlice {
                nodes += migCapabilityNodes(gpuMinor: minor)
                let number = sliceNumber[parentUUID, default: 0]
                sliceNumber[parentUUID] = number + 1
                names = ["\(device.index):\(number)", device.uuid]
            } else {
                names = [String(device.index), device.uuid]
            }
            for name in names {
                cdiDevices.append(CDIDevice(name: name, containerEdits: CDIContainerEdits(deviceNodes: nodes)))
            }
        }
        let common = CDIContainerEdits(deviceNodes: Self.controlNodes.compactMap(node), mounts: libraryMounts() + binaryMounts())
        return CDISpec(devices: cdiDevices, containerEdits: common)
    }

    /// The host path of a container path.
    func host(_ path: String) -> String {
        hostRoot.path == "/" ? path : hostRoot.path + path
    }

    /// A character-device node at `path` below the host root, with its numbers; `nil` when absent.
    func node(_ path: String) -> CDIDeviceNode? {
        var info = stat()
        let source = host(path)
        guard lstat(source, &info) == 0, info.st_mode & S_IFMT == S_IFCHR else { return nil }
        return CDIDeviceNode(path: path, hostPath: source == path ? nil : source, type: "c",
                             major: Self.major(UInt64(info.st_rdev)), minor: Self.minor(UInt64(info.st_rdev)), permissions: "rw")
    }

    /// GPU UUID → device minor, from the driver's per-GPU information files.
    func deviceMinors() -> [String: Int] {
        let folder = host("/proc/driver/nvidia/gpus")
        var minors: [String: Int] = [:]
        for bus in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            guard let text = try? String(contentsOfFile: "\(folder)/\(bus)/information", encoding: .utf8) else { continue }
            let fields = Self.fields(text)
            if let uuid = fields["GPU UUID"], let minor = fields["Device Minor"].flatMap({ Int($0) }) { minors[uuid] = minor }
        }
        return minors
    }

    /// The capability nodes of a GPU's MIG instances: every `access` file below
    /// `capabilities/gpu<minor>/mig` names a `DeviceFileMinor` of `/dev/nvidia-caps/nvidia-cap<N>`.
    func migCapabilityNodes(gpuMinor: Int) -> [CDIDeviceNode] {
        let folder = host("/proc/driver/nvidia/capabilities/gpu\(gpuMinor)/mig")
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var nodes: [CDIDeviceNode] = []
        for case let relative as String in walker where relative.hasSuffix("access") {
            guard let text = try? String(contentsOfFile: "\(folder)/\(relative)", encoding: .utf8),
                  let minor = Self.fields(text)["DeviceFileMinor"], let found = node("/dev/nvidia-caps/nvidia-cap\(minor)")
            else { continue }
            nodes.append(found)
        }
        return nodes.sorted { $0.path < $1.path }
    }

    /// Every file of the driver libraries, each at its own path, bound read-only to the
    /// resolved library (a symlink's target), in path order.
    func libraryMounts() -> [CDIMount] {
        var paths = Set<String>()
        for directory in Self.libraryDirectories {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: host(directory))) ?? []
            where Self.libraries.contains(where: { name.hasPrefix($0) }) {
                paths.insert("\(directory)/\(name)")
            }
        }
        // `ldconfig -p`: "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1"
        for line in (ldconfigListing ?? "").split(whereSeparator: \.isNewline) {
            guard let arrow = line.range(of: "=> ") else { continue }
            let path = String(line[arrow.upperBound...]).trimmingCharacters(in: .whitespaces)
            let name = (path as NSString).lastPathComponent
            if Self.libraries.contains(where: { name.hasPrefix($0) }) { paths.insert(path) }
        }
        return paths.sorted().compactMap { path in
            let resolved = URL(fileURLWithPath: host(path)).resolvingSymlinksInPath().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
            return CDIMount(hostPath: resolved, containerPath: path, options: ["ro", "nosuid", "nodev", "bind"])
        }
    }

    /// The driver tools found, read-only (executable).
    func binaryMounts() -> [CDIMount] {
        Self.binaries.compactMap { name in
            for directory in Self.binaryDirectories {
                let path = "\(directory)/\(name)"
                let resolved = URL(fileURLWithPath: host(path)).resolvingSymlinksInPath().path
                if FileManager.default.isExecutableFile(atPath: resolved) {
                    return CDIMount(hostPath: resolved, containerPath: path, options: ["ro", "nosuid", "nodev", "bind"])
                }
            }
            return nil
        }
    }

    /// glibc's `major()` of a `dev_t` (the macro does not reach Swift).
    static func major(_ device: UInt64) -> Int64 { Int64(((device >> 8) & 0xfff) | ((device >> 32) & 0xffff_f000)) }
    /// glibc's `minor()`.
    static func minor(_ device: UInt64) -> Int64 { Int64((device & 0xff) | ((device >> 12) & 0xffff_ff00)) }

    /// `Key: value` lines.
    static func fields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].trimmingCharacters(in: .whitespaces)] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }
}

extension NvidiaCDIGenerator {
    /// `ldconfig -p` of this host, or `nil` when it cannot run.
    public static func hostLinkerCache() -> String? {
        guard let ldconfig = ["/sbin/ldconfig", "/usr/sbin/ldconfig", "/sbin/ldconfig.real"].first(where: FileManager.default.isExecutableFile) else {
            return nil
        }
        guard let run = NvidiaSMI.run(ldconfig, ["-p"]), run.status == 0 else { return nil }
        return run.output
    }
}

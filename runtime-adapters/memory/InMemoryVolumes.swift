import PlatformContracts
import RuntimeKit
import Synchronization

/// One file operation an in-memory workload performs on its volumes when it starts: the
/// twin's stand-in for a process writing to its mounts, so the volume promises of the
/// conformance suite (persistent data outlives the instance, scratch is limited to its
/// size, `readOnly` refuses writes) hold for the twin as for `local` and `slurm`.
public enum InMemoryVolumeStep: Sendable, Hashable {
    /// Writes `text` to `path`; logs `wrote <path>`, or `refused <path>` on a read-only
    /// mount or outside any volume (the image is read-only), or `enospc <path>` past the size.
    case write(path: String, text: String)
    /// Logs `read <path>: <text>`, or `missing <path>`.
    case read(path: String)
    /// Writes `mib` MiB to `path`; logs `fits <path>` or `enospc <path>`.
    case fill(path: String, mib: Int)
}

/// The twin's persistent volumes: files by path per volume id, with the volume's size.
public final class InMemoryVolumeStore: Sendable {
    struct Volume: Sendable {
        var sizeMiB: Int
        /// Path inside the volume → contents (fills are counted by their byte length).
        var files: [String: [UInt8]] = [:]
        var usedBytes: Int { files.values.reduce(0) { $0 + $1.count } }
    }

    private let volumes = Mutex<[String: Volume]>([:])

    /// Creates an empty store.
    public init() {}

    /// The volume ids it holds.
    public var volumeIds: [String] { volumes.withLock { $0.keys.sorted() } }

    func provision(_ volume: RuntimeVolume) {
        volumes.withLock { if $0[volume.id] == nil { $0[volume.id] = Volume(sizeMiB: volume.sizeMiB) } }
    }

    func remove(_ volume: RuntimeVolume) {
        _ = volumes.withLock { $0.removeValue(forKey: volume.id) }
    }

    /// Runs `steps` for a workload of `spec` and returns what it logs. Persistent mounts
    /// write through to the store; scratch mounts live only for this run.
    func run(_ steps: [InMemoryVolumeStep], spec: LaunchSpec) -> String {
        var scratch: [String: Volume] = [:]
        for mount in spec.volumes where mount.kind == .scratch {
            scratch[mount.mountPath] = Volume(sizeMiB: mount.sizeMiB ?? VolumeMount.defaultSizeMiB)
        }
        for mount in spec.volumes where mount.kind == .persistent {
            if let volume = mount.runtimeVolume(project: spec.project) { provision(volume) }
        }
        var log = ""
        for step in steps {
            let path: String
            switch step {
            case .write(let p, _), .read(let p), .fill(let p, _): path = p
            }
            // The mount that holds `path`: the longest mount path that is a folder prefix of it.
            guard let mount = spec.volumes.filter({ path.hasPrefix($0.mountPath + "/") }).max(by: { $0.mountPath.count < $1.mountPath.count })
            else {
                if case .read = step { log += "missing \(path)\n" } else { log += "refused \(path)\n" }
                continue
            }
            let inside = String(path.dropFirst(mount.mountPath.count))
            let apply: (inout Volume) -> String = { volume in
                func store(_ bytes: [UInt8], _ done: String) -> String {
                    if mount.readOnly { return "refused \(path)\n" }
                    let others = volume.usedBytes - (volume.files[inside]?.count ?? 0)
                    guard others + bytes.count <= volume.sizeMiB * 1_048_576 else { return "enospc \(path)\n" }
                    volume.files[inside] = bytes
                    return "\(done) \(path)\n"
                }
                switch step {
                case .read:
                    return volume.files[inside].map { "read \(path): \(String(decoding: $0, as: UTF8.self))\n" } ?? "missing \(path)\n"
                case .write(_, let text): return store(Array(text.utf8), "wrote")
                case .fill(_, let mib): return store([UInt8](repeating: 0, count: mib * 1_048_576), "fits")
                }
            }
            if let id = mount.volumeId, mount.kind == .persistent {
                log += volumes.withLock { store in
                    var volume = store[id] ?? Volume(sizeMiB: mount.sizeMiB ?? VolumeMount.defaultSizeMiB)
                    let line = apply(&volume)
                    store[id] = volume
                    return line
                }
            } else {
                var volume = scratch[mount.mountPath] ?? Volume(sizeMiB: mount.sizeMiB ?? VolumeMount.defaultSizeMiB)
                log += apply(&volume)
                scratch[mount.mountPath] = volume
            }
        }
        return log
    }
}

/// Persistent volumes of the twin live in its runtime's ``InMemoryRuntime/volumeStore``.
extension InMemoryRuntimeAdapter: RuntimeVolumeSupport {
    public func provisionVolume(_ volume: RuntimeVolume) async throws {
        runtime.volumeStore.provision(volume)
    }

    public func removeVolume(_ volume: RuntimeVolume) async throws {
        runtime.volumeStore.remove(volume)
    }
}

import Foundation
import PlatformContracts
import RuntimeKit

/// Volumes on the Slurm adapter.
///
/// A persistent volume is a folder on the adapter's shared root,
/// `<root>/volumes/<project>/<id>`, which every compute node mounts (the root is the
/// cluster's shared path): the job binds it into its bubblewrap sandbox (`--bind`, or
/// `--ro-bind` when `readOnly`), so it survives the job and the node. A scratch volume is a
/// bwrap tmpfs of its size (`--size BYTES --tmpfs PATH`, `ENOSPC` past it), gone with the
/// job.
///
/// What differs from the local adapter: a persistent volume's size is recorded and counted
/// against the quota but not enforced by the file system (the shared path is one file
/// system; loop-mounting an image needs root on every node and breaks with two nodes
/// writing); and the job runs as the submitting user without a user namespace, so the
/// files are that user's.
extension SlurmRuntimeAdapter: RuntimeVolumeSupport {
    public func provisionVolume(_ volume: RuntimeVolume) async throws {
        guard volume.hasSafeNames else { throw PlatformError(.volumeInvalid, "volume id \(volume.id) is not a safe path component") }
        try FileManager.default.createDirectory(at: Self.volumeFolder(root: configuration.root, volume), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    public func removeVolume(_ volume: RuntimeVolume) async throws {
        guard volume.hasSafeNames else { throw PlatformError(.volumeInvalid, "volume id \(volume.id) is not a safe path component") }
        FileTree.removeIfPresent(Self.volumeFolder(root: configuration.root, volume))
    }

    /// Where a persistent volume's data lives on the shared root.
    static func volumeFolder(root: URL, _ volume: RuntimeVolume) -> URL {
        root.appendingPathComponent("volumes").appendingPathComponent(volume.project).appendingPathComponent(volume.id)
    }

    /// Before the job is submitted: mount points in the shared image (the sandbox's root is
    /// read-only) and every persistent volume's folder.
    func prepareVolumes(_ spec: LaunchSpec, rootfs: URL) async throws {
        for mount in spec.volumes {
            try mount.makeMountPoint(in: rootfs)
            if let volume = mount.runtimeVolume(project: spec.project) { try await provisionVolume(volume) }
        }
    }
}

extension SlurmJobScript {
    /// The bwrap arguments of `spec`'s volumes, shell-quoted, in mount order. Persistent
    /// volumes live under `volumesRoot` (the adapter root's `volumes`).
    static func volumeArguments(_ spec: LaunchSpec, volumesRoot: URL) -> String {
        spec.volumes.map { mount -> String in
            let target = quote(mount.mountPath)
            switch mount.kind {
            case .persistent:
                let source = volumesRoot.appendingPathComponent(spec.project).appendingPathComponent(mount.volumeId ?? "").path
                return "\(mount.readOnly ? "--ro-bind" : "--bind") \(quote(source)) \(target)"
            case .scratch:
                let bytes = Int64(mount.sizeMiB ?? VolumeMount.defaultSizeMiB) * 1_048_576
                return "--size \(bytes) --tmpfs \(target)" + (mount.readOnly ? " --remount-ro \(target)" : "")
            }
        }.joined(separator: " ")
    }
}

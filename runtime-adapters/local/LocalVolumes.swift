import Foundation
import PlatformContracts
import RuntimeKit
#if canImport(Glibc)
import Glibc
#endif

/// Volumes on the local adapter.
///
/// **Persistent** volumes are ext4 file systems in sparse image files,
/// `<root>/volumes/<project>/<id>/disk.img`: the image's size is the volume's hard limit
/// (a write past it fails with `ENOSPC`), and its blocks are allocated only as they are
/// written. An instance that mounts one gets it loop-mounted (`nosuid,nodev`) at
/// `/run/platformd/volumes/<slot>/<n>`, a folder only the instance's group may search
/// (as its rootfs: runc prepares mounts from inside the user namespace, where the 0700
/// data folder is closed), and runc binds that into the container. util-linux reuses the
/// loop device of an image already attached, so two instances mounting one volume share
/// one file system, never two writers on one image.
///
/// Ownership: each instance's user namespace maps container uid 0 to its own host range
/// (``InstanceNetwork/hostUID``), and runc 1.1.5 has no idmapped mounts (1.2 does). So at
/// mount, every file's owner is shifted into this instance's range, keeping its
/// in-container uid and gid (a file the app made as container uid 1000 stays 1000 in the
/// next instance). A volume mounted by two live instances at once belongs to the later one.
///
/// **Scratch** volumes are a tmpfs of the volume's `sizeMiB` (`ENOSPC` past it) that goes
/// with the container. `readOnly` mounts either read-only.
///
/// A mount path that is not in the image is created in the shared unpacked image (an empty
/// folder, harmless to other instances of the image) one component at a time, refusing a
/// symlink or a file on the way: the image's root is read-only for the container.
enum LocalVolumes {
    /// Where instances' volume mounts live on the host, per slot.
    static let mountRoot = "/run/platformd/volumes"

    /// The host folder of volume mount `index` of the instance in `network`'s slot.
    static func hostMountPoint(slot: Int, index: Int) -> String { "\(mountRoot)/\(slot)/\(index)" }

    /// The folder that holds a persistent volume's image.
    static func folder(root: URL, _ volume: RuntimeVolume) -> URL {
        root.appendingPathComponent("volumes").appendingPathComponent(volume.project).appendingPathComponent(volume.id)
    }

    /// Creates the volume's image when absent: a sparse file of its size with an ext4 file
    /// system, made under a temporary name and renamed, so a half-made image never mounts.
    static func provision(root: URL, _ volume: RuntimeVolume) async throws {
        guard volume.hasSafeNames else { throw PlatformError(.volumeInvalid, "volume id \(volume.id) is not a safe path component") }
        let folder = folder(root: root, volume)
        let image = folder.appendingPathComponent("disk.img")
        if FileManager.default.fileExists(atPath: image.path) { return }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard let mkfs = HostCommand.locate("mkfs.ext4") else {
            throw PlatformError(.volumeInvalid, "mkfs.ext4 (e2fsprogs) is not installed on this host: the local adapter cannot make volume file systems")
        }
        let script = """
            set -e
            rm -f "$1.tmp"
            truncate -s "$2M" "$1.tmp"
            "$3" -q -F -m 0 -E root_owner=0:0 -L platform-volume "$1.tmp"
            mv "$1.tmp" "$1"
            """
        let result = try await HostCommand.run("/bin/sh", ["-c", script, "platform-volume", image.path, String(volume.sizeMiB), mkfs],
                                               timeout: .seconds(120))
        guard result.status == 0 else {
            throw PlatformError(.volumeInvalid, "could not make the file system of volume \(volume.id): \(result.problem)")
        }
    }

    /// Removes the volume's image and folder.
    static func remove(root: URL, _ volume: RuntimeVolume) throws {
        guard volume.hasSafeNames else { throw PlatformError(.volumeInvalid, "volume id \(volume.id) is not a safe path component") }
        FileTree.removeIfPresent(folder(root: root, volume))
    }

    /// Makes every volume of `spec` ready for the container in `network`'s slot: mount points
    /// in the image, persistent volumes provisioned, loop-mounted and owned by the instance's
    /// range. Undo with ``unmount(slot:)``.
    static func prepare(_ spec: LaunchSpec, root: URL, rootfs: URL, network: InstanceNetwork) async throws {
        guard !spec.volumes.isEmpty else { return }
        for mount in spec.volumes { try mount.makeMountPoint(in: rootfs) }
        let slotFolder = "\(mountRoot)/\(network.slot)"
        let setUp = """
            set -e
            for old in "$1"/*; do [ -e "$old" ] || continue; umount -l "$old" 2>/dev/null || true; rmdir "$old" 2>/dev/null || true; done
            mkdir -p "$1"
            chmod 0711 /run/platformd "${1%/*}"
            chown "0:$2" "$1" && chmod 0710 "$1"
            """
        let prepared = try await HostCommand.run("/bin/sh", ["-c", setUp, "platform-volumes", slotFolder, String(network.hostUID)],
                                                 timeout: .seconds(20))
        guard prepared.status == 0 else { throw PlatformError(.runtimeStartFailed, "could not prepare \(slotFolder): \(prepared.problem)") }
        for (index, mount) in spec.volumes.enumerated() {
            guard let volume = mount.runtimeVolume(project: spec.project) else { continue }
            try await provision(root: root, volume)
            let point = hostMountPoint(slot: network.slot, index: index)
            let image = folder(root: root, volume).appendingPathComponent("disk.img").path
            let mounted = try await HostCommand.run("/bin/sh", ["-c", #"mkdir -p "$1" && mount -o loop,nosuid,nodev "$2" "$1""#, "platform-volume", point, image],
                                                    timeout: .seconds(30))
            guard mounted.status == 0 else {
                throw PlatformError(.runtimeStartFailed, "could not mount volume \(mount.name): \(mounted.problem)")
            }
            try shiftOwnership(under: point, to: network.hostUID)
        }
    }

    /// Unmounts the instance's persistent volumes (the loop device detaches with the last
    /// mount of its image) and removes the slot's mount folder. Safe to call twice.
    static func unmount(slot: Int) async {
        let script = """
            for point in "$1"/*; do [ -e "$point" ] || continue; umount -l "$point" 2>/dev/null; rmdir "$point" 2>/dev/null; done
            rmdir "$1" 2>/dev/null
            exit 0
            """
        _ = try? await HostCommand.run("/bin/sh", ["-c", script, "platform-volumes", "\(mountRoot)/\(slot)"], timeout: .seconds(20))
    }

    /// The OCI mounts of `spec`'s volumes for the container in `network`'s slot.
    static func ociMounts(_ spec: LaunchSpec, network: InstanceNetwork) -> [[String: Any]] {
        spec.volumes.enumerated().map { index, mount in
            switch mount.kind {
            case .persistent:
                return ["destination": mount.mountPath, "type": "bind", "source": hostMountPoint(slot: network.slot, index: index),
                        "options": ["rbind", "nosuid", "nodev", mount.readOnly ? "ro" : "rw"]]
            case .scratch:
                let size = mount.sizeMiB ?? VolumeMount.defaultSizeMiB
                return ["destination": mount.mountPath, "type": "tmpfs", "source": "tmpfs",
                        "options": ["nosuid", "nodev", "mode=1777", "size=\(size)m"] + (mount.readOnly ? ["ro"] : [])]
            }
        }
    }

    /// Gives every file under `top` (the file system's root included) to the instance's range:
    /// a file of another instance's range keeps its in-container id; one of the host (the
    /// file system's root and `lost+found`, made as uid 0) becomes container root. The walk
    /// goes through directory descriptors and never follows a link (`O_NOFOLLOW`,
    /// `AT_SYMLINK_NOFOLLOW`): a link an app left in its volume cannot point it at the host.
    static func shiftOwnership(under top: String, to base: Int) throws {
        let fd = open(top, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw PlatformError(.runtimeStartFailed, "could not open volume mount \(top): errno \(errno)") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw PlatformError(.runtimeStartFailed, "could not stat \(top): errno \(errno)") }
        guard fchown(fd, shifted(info.st_uid, base: base), shifted(info.st_gid, base: base)) == 0 else {
            throw PlatformError(.runtimeStartFailed, "could not give \(top) to the instance's user range: errno \(errno)")
        }
        try shiftEntries(of: fd, device: info.st_dev, base: base, depth: 0)
    }

    /// A host id in the instance range starting at `base`, keeping its in-container id.
    static func shifted(_ id: UInt32, base: Int) -> UInt32 {
        let (first, size) = (UInt32(InstanceNetwork.firstHostUID), UInt32(InstanceNetwork.idsPerInstance))
        let inside = id >= first ? (id - first) % size : (id < size ? id : 0)
        return UInt32(base) + inside
    }

    private static func shiftEntries(of directory: Int32, device: UInt, base: Int, depth: Int) throws {
        guard depth < 256 else { return }
        let copy = dup(directory)
        guard copy >= 0, let stream = fdopendir(copy) else {
            throw PlatformError(.runtimeStartFailed, "could not read a volume folder: errno \(errno)")
        }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let (uid, gid) = (shifted(info.st_uid, base: base), shifted(info.st_gid, base: base))
            if uid != info.st_uid || gid != info.st_gid {
                guard fchownat(directory, name, uid, gid, AT_SYMLINK_NOFOLLOW) == 0 else {
                    throw PlatformError(.runtimeStartFailed, "could not give \(name) to the instance's user range: errno \(errno)")
                }
                // A regular file loses set-id bits on chown; a shifted file should lose them anyway.
            }
            guard info.st_mode & S_IFMT == S_IFDIR, info.st_dev == device else { continue }
            let child = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { continue }
            defer { close(child) }
            try shiftEntries(of: child, device: device, base: base, depth: depth + 1)
        }
    }
}

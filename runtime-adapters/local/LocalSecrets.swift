import Foundation
import PlatformContracts
import RuntimeKit
#if canImport(Glibc)
import Glibc
#endif

/// An instance's secrets on the host: a small tmpfs of its own (`/run/platformd/secrets/<slot>`,
/// its parent 0711 so the instance's user namespace can reach it while bind-mounting; the
/// tmpfs 0700, owned by the instance's mapped root ``InstanceNetwork/hostUID``, so no other
/// instance or host user enters it), one file per
/// secret (mode 0400, same owner), bind-mounted read-only at `/run/secrets` in the
/// container (``OCIRuntimeConfig/addingSecrets(_:spec:source:)``). The values live in memory
/// only (a tmpfs is never written to the data directory's disk); ``remove(network:)`` unmounts
/// it when the instance is released.
enum LocalSecrets {
    /// The folder the secrets tmpfs of every instance is mounted under.
    static let root = URL(fileURLWithPath: "/run/platformd/secrets")

    /// Where an instance's secrets tmpfs is mounted on the host (by its network slot, which
    /// no two live instances share).
    static func path(of network: InstanceNetwork) -> URL { root.appendingPathComponent(String(network.slot)) }

    /// Mounts the tmpfs and writes the spec's secrets into it; `nil` when the spec has none.
    /// - Throws: ``ErrorCode/runtimeStartFailed`` (mount or write failed), the spec's
    ///   ``LaunchSpec/deliveredSecrets()`` errors.
    static func materialize(_ spec: LaunchSpec, network: InstanceNetwork) async throws -> URL? {
        let secrets = try spec.deliveredSecrets()
        guard !secrets.isEmpty else { return nil }
        let hostUID = network.hostUID
        let directory = path(of: network)
        await remove(network: network)  // a mount left by an instance that held the slot before a crash
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        chmod("/run/platformd", 0o711)
        chmod(root.path, 0o711)
        // Room for the values plus the inodes' slack, never less than a page per file.
        let bytes = secrets.map { max(4096, $0.value.count + 4096) }.reduce(65_536, +)
        let mounted = try await HostCommand.run(
            "mount", ["-t", "tmpfs", "-o", "size=\(bytes),mode=0700,uid=\(hostUID),gid=\(hostUID),nosuid,nodev,noexec", "platform-secrets",
                      directory.path], timeout: .seconds(10))
        guard mounted.status == 0 else {
            throw PlatformError(.runtimeStartFailed, "cannot mount the secrets tmpfs: \(mounted.problem)")
        }
        for secret in secrets {
            let file = directory.appendingPathComponent(secret.delivery.name).path
            let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o400)
            guard fd >= 0 else { throw PlatformError(.runtimeStartFailed, "cannot create secret file \(secret.delivery.name): errno \(errno)") }
            defer { close(fd) }
            let written = secret.value.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == secret.value.count, fchown(fd, uid_t(hostUID), gid_t(hostUID)) == 0, fchmod(fd, 0o400) == 0 else {
                throw PlatformError(.runtimeStartFailed, "cannot write secret file \(secret.delivery.name): errno \(errno)")
            }
        }
        return directory
    }

    /// Unmounts an instance's secrets tmpfs (if mounted) and removes its mount point.
    static func remove(network: InstanceNetwork) async {
        let directory = path(of: network)
        guard FileManager.default.fileExists(atPath: directory.path) else { return }
        if isMountPoint(directory.path) {
            _ = try? await HostCommand.run("umount", [directory.path], timeout: .seconds(10))
            if isMountPoint(directory.path) { _ = try? await HostCommand.run("umount", ["-l", directory.path], timeout: .seconds(10)) }
        }
        if !isMountPoint(directory.path) { FileTree.removeIfPresent(directory) }
    }

    /// Whether `path` is a mount point (its device differs from its parent's).
    static func isMountPoint(_ path: String) -> Bool {
        var here = stat()
        var parent = stat()
        guard lstat(path, &here) == 0, lstat(path + "/..", &parent) == 0 else { return false }
        return here.st_dev != parent.st_dev
    }
}

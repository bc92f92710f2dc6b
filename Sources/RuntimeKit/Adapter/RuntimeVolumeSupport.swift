import Foundation
import PlatformContracts
#if canImport(Glibc)
import Glibc
#endif

/// One project volume as an adapter stores it: where its data lives is the adapter's
/// business (`<root>/volumes/<project>/<id>`), its identity and size are the platform's.
public struct RuntimeVolume: Sendable, Codable, Hashable {
    /// The project that owns it.
    public var project: String
    /// The volume's id (a ULID: safe as a path component).
    public var id: String
    /// Its size limit in MiB.
    public var sizeMiB: Int

    /// Creates a volume.
    public init(project: String, id: String, sizeMiB: Int) {
        self.project = project
        self.id = id
        self.sizeMiB = sizeMiB
    }

    /// Whether project and id are safe as path components (letters, digits, `-`, `_`):
    /// adapters check this before they touch a path built from them.
    public var hasSafeNames: Bool {
        [project, id].allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } }
    }
}

/// Optional: an adapter that keeps persistent volumes (``VolumeMount/Kind/persistent``).
///
/// The platform records a volume, then asks its adapter to provision it; ``start`` of an
/// instance whose spec mounts it provisions it too when absent (idempotent), so a volume
/// made by an older server still mounts. Removal happens once no live instance mounts it.
public protocol RuntimeVolumeSupport: RuntimeAdapter {
    /// Creates the volume's storage if absent (size-limited where the runtime can).
    /// - Throws: ``ErrorCode/volumeInvalid`` when the runtime cannot hold it.
    func provisionVolume(_ volume: RuntimeVolume) async throws

    /// Removes the volume's storage and data; absent storage is not an error.
    func removeVolume(_ volume: RuntimeVolume) async throws
}

extension VolumeMount {
    /// The project volume this mount names, when it is persistent and resolved.
    public func runtimeVolume(project: String) -> RuntimeVolume? {
        guard kind == .persistent, let volumeId else { return nil }
        return RuntimeVolume(project: project, id: volumeId, sizeMiB: sizeMiB ?? VolumeMount.defaultSizeMiB)
    }

    /// The size a volume gets when the manifest names none (MiB).
    public static let defaultSizeMiB = 1024

    /// Whether the mount path is absolute, normalized and outside the paths the runtime owns
    /// (`/`, `/proc`, `/sys`, `/dev`), in letters, digits and `/._-`: checked by every adapter's `validate`.
    public var hasValidMountPath: Bool {
        guard mountPath.hasPrefix("/"), mountPath.count > 1, mountPath.count <= 256,
              mountPath.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-".contains($0)) }) else { return false }
        let parts = mountPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else { return false }
        guard let top = parts.first else { return false }
        return !["proc", "sys", "dev"].contains(String(top))
    }
}

extension VolumeMount {
    /// Creates the mount path (validated: ``hasValidMountPath``) under an unpacked image's
    /// `rootfs` one folder at a time as 0755, refusing to pass through anything but a real
    /// folder (a link in the image must not lead the host's root outside it). Containers
    /// see the image read-only, so a mount point absent from it is made here, as an empty
    /// folder in the shared image, harmless to other instances.
    /// - Throws: ``ErrorCode/runtimeStartFailed``.
    public func makeMountPoint(in rootfs: URL) throws {
        guard hasValidMountPath else { throw PlatformError(.runtimeStartFailed, "volume \(name): mount path \(mountPath) is not allowed") }
        var current = rootfs.path
        for component in mountPath.split(separator: "/") {
            current += "/" + component
            var info = stat()
            if lstat(current, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw PlatformError(.runtimeStartFailed, "the image has a file or link at \(component) of \(mountPath); volume \(name) cannot be mounted there")
                }
                continue
            }
            guard mkdir(current, 0o755) == 0 || errno == EEXIST else {
                throw PlatformError(.runtimeStartFailed, "could not create the mount point \(mountPath) in the image: errno \(errno)")
            }
        }
    }
}

extension LaunchSpec {
    /// Refuses volumes no adapter mounts: a bad or repeated mount path, a persistent volume
    /// not resolved to its project volume, a size below 1 MiB. Every adapter's `validate` calls it.
    /// - Throws: ``ErrorCode/runtimeSpecInvalid``.
    public func validateVolumes() throws(PlatformError) {
        var paths: Set<String> = []
        for mount in volumes {
            guard mount.hasValidMountPath, paths.insert(mount.mountPath).inserted else {
                throw PlatformError(.runtimeSpecInvalid, "volume \(mount.name): mount path \(mount.mountPath) is not allowed or used twice")
            }
            if mount.kind == .persistent, mount.runtimeVolume(project: project)?.hasSafeNames != true {
                throw PlatformError(.runtimeSpecInvalid, "persistent volume \(mount.name) is not resolved to a project volume")
            }
            if let size = mount.sizeMiB, size < 1 {
                throw PlatformError(.runtimeSpecInvalid, "volume \(mount.name) has size \(size) MiB")
            }
        }
    }
}

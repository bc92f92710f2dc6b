import Foundation

/// CDI edits fitted to a read-only image root.
///
/// Both adapters run the image's unpacked root read-only and shared between instances (and
/// the local adapter inside a user namespace that does not own it), so a mount point the
/// image lacks cannot be created: a CDI mount whose `containerPath` does not exist in the
/// image is placed below ``CDIContainerEdits/relocationRoot`` instead (on the instance's
/// `/run` tmpfs, where the runtime can create it), and the folders it lands in are added to
/// `LD_LIBRARY_PATH` (libraries) or `PATH` (tools). A mount whose target the image has is
/// applied exactly where the spec says. Device nodes always land where the spec says: `/dev`
/// is the instance's own tmpfs.
public struct CDIImagePlacement: Sendable, Hashable {
    /// The edits with relocated mount targets.
    public var edits: CDIContainerEdits
    /// Folders in the container holding relocated libraries, for `LD_LIBRARY_PATH`.
    public var libraryDirectories: [String]
    /// Folders in the container holding relocated tools, for `PATH`.
    public var binaryDirectories: [String]

    /// The process environment with the relocated folders added: `LD_LIBRARY_PATH` gets them
    /// in front of what the image set, `PATH` behind.
    public func environment(_ environment: [String: String]) -> [String: String] {
        var result = environment
        for entry in edits.env ?? [] {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2 { result[parts[0]] = parts[1] }
        }
        if !libraryDirectories.isEmpty {
            result["LD_LIBRARY_PATH"] = (libraryDirectories + [result["LD_LIBRARY_PATH"]].compactMap { $0 }.filter { !$0.isEmpty }).joined(separator: ":")
        }
        if !binaryDirectories.isEmpty {
            let path = result["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            result["PATH"] = ([path] + binaryDirectories).joined(separator: ":")
        }
        return result
    }
}

extension CDIContainerEdits {
    /// Where mounts the image has no target for go (on the instance's `/run` tmpfs).
    public static let relocationRoot = "/run/nvidia"

    /// These edits for an image whose root is `rootfs` (see ``CDIImagePlacement``).
    public func placed(inImage rootfs: URL) -> CDIImagePlacement {
        var placed = self
        var libraries: [String] = [], binaries: [String] = []
        placed.mounts = mounts?.map { mount in
            guard !Self.exists(mount.containerPath, in: rootfs) else { return mount }
            var moved = mount
            moved.containerPath = Self.relocationRoot + mount.containerPath
            let folder = (moved.containerPath as NSString).deletingLastPathComponent
            if (mount.containerPath as NSString).lastPathComponent.contains(".so") {
                if !libraries.contains(folder) { libraries.append(folder) }
            } else if !binaries.contains(folder) {
                binaries.append(folder)
            }
            return moved
        }
        return CDIImagePlacement(edits: placed, libraryDirectories: libraries, binaryDirectories: binaries)
    }

    /// Whether `path` exists in the image (the last component not followed: a symlink in the
    /// image is a target the runtime resolves inside the root).
    static func exists(_ path: String, in rootfs: URL) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: rootfs.path + path)) != nil
    }
}

import Foundation
import PlatformContracts
#if canImport(Glibc)
import Glibc
#endif

/// Merges an extracted layer folder onto a rootfs with OCI whiteout semantics, by names
/// inside real folders only (see ``RootfsUnpacker``).
enum LayerMerge {
    static let opaqueMarker = ".wh..wh..opq"
    static let whiteoutPrefix = ".wh."

    static func merge(_ layer: String, into target: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: layer)
        if names.contains(opaqueMarker) {
            for existing in try FileManager.default.contentsOfDirectory(atPath: target) { try remove(target + "/" + existing) }
        }
        for name in names.sorted() where name.hasPrefix(whiteoutPrefix) && !name.hasPrefix(".wh..wh.") {
            let victim = String(name.dropFirst(whiteoutPrefix.count))
            guard !victim.isEmpty, victim != ".", victim != "..", !victim.contains("/") else {
                throw PlatformError(.archiveUnsafe, "whiteout \(name) names no entry")
            }
            try remove(target + "/" + victim)
        }
        for name in names.sorted() where !name.hasPrefix(whiteoutPrefix) {
            let source = layer + "/" + name, destination = target + "/" + name
            var sourceInfo = stat()
            guard lstat(source, &sourceInfo) == 0 else { throw posixError("lstat", source) }
            if sourceInfo.st_mode & S_IFMT == S_IFDIR {
                var destinationInfo = stat()
                let exists = lstat(destination, &destinationInfo) == 0
                if !exists || destinationInfo.st_mode & S_IFMT != S_IFDIR {
                    if exists { try remove(destination) }
                    guard mkdir(destination, 0o700) == 0 else { throw posixError("mkdir", destination) }
                }
                // Exactly the layer's mode and owner (mkdir's mode passes through the umask).
                chmod(destination, sourceInfo.st_mode & 0o7777)
                _ = lchown(destination, sourceInfo.st_uid, sourceInfo.st_gid)
                try merge(source, into: destination)
            } else {
                try remove(destination)
                guard rename(source, destination) == 0 else { throw posixError("rename", destination) }
            }
        }
    }

    /// Removes a path without following a symlink at it or below it; a missing path is fine.
    static func remove(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            chmod(path, 0o700)
            for name in try FileManager.default.contentsOfDirectory(atPath: path) { try remove(path + "/" + name) }
            guard rmdir(path) == 0 else { throw posixError("rmdir", path) }
        } else {
            guard unlink(path) == 0 else { throw posixError("unlink", path) }
        }
    }

    static func posixError(_ call: String, _ path: String) -> PlatformError {
        PlatformError(.runtimeStartFailed, "\(call) \(path): \(String(cString: strerror(errno)))")
    }
}

/// Removing unpacked trees, whose folders may be read-only and whose symlinks must not be followed.
public enum FileTree {
    /// Removes `url` and everything below it without following symlinks; a missing path is fine.
    public static func remove(_ url: URL) throws {
        try LayerMerge.remove(url.path)
    }

    /// ``remove(_:)`` for cleanup paths, where a failure has nowhere to go. A plain function
    /// rather than `try?` at the call sites: `try?` around a typed-throws call inside an
    /// async method crashed the release-mode compiler (Swift 6.3.1, coroutine splitting).
    public static func removeIfPresent(_ url: URL) {
        do { try remove(url) } catch {}
    }
}

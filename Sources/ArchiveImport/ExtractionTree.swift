import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The destination folder, changed only through `*at` system calls relative to its descriptor.
///
/// Every step opens one component with `O_NOFOLLOW`, so no path string is ever re-resolved by
/// the kernel: a symlink created by an earlier entry (or planted by another process) cannot
/// redirect a later write, and `EntryPath`'s lexical checks stay true on disk.
final class ExtractionTree {
    private let rootFD: Int32

    /// Opens the destination; it must be a real directory, not a symlink to one.
    init(root: String) throws {
        rootFD = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard rootFD >= 0 else { throw Self.posixError() }
    }

    deinit { close(rootFD) }

    /// Creates the directory chain for `path` (which may already exist).
    ///
    /// The archive's directory permissions are ignored: 0755 keeps the tree traversable and
    /// removable by the importer whatever bits the uploader chose.
    func makeDirectory(_ path: EntryPath) throws {
        close(try openDirectory(path.components, create: true, entry: path))
    }

    /// Creates a new regular file and returns its descriptor; the caller closes it.
    ///
    /// The mode is forced to 0644 or 0755 after creation so the archive's setuid, setgid,
    /// sticky and world-writable bits never survive, whatever the process umask is.
    func createFile(_ path: EntryPath, executable: Bool) throws -> Int32 {
        let mode: mode_t = executable ? 0o755 : 0o644
        let parent = try openDirectory(path.parentComponents, create: true, entry: path)
        defer { close(parent) }
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        let fd = try replacingExisting(parent, path) { openat(parent, path.leaf, flags, mode) }
        guard fchmod(fd, mode) == 0 else {
            let error = Self.posixError()
            close(fd)
            throw error
        }
        return fd
    }

    /// Creates a symlink whose target the caller has already validated.
    func createSymlink(_ path: EntryPath, target: String) throws {
        let parent = try openDirectory(path.parentComponents, create: true, entry: path)
        defer { close(parent) }
        _ = try replacingExisting(parent, path) { symlinkat(target, parent, path.leaf) }
    }

    /// Hardlinks `path` to `target`, which must be a regular file already in the tree.
    ///
    /// Looking the target up with `O_NOFOLLOW` walks and `AT_SYMLINK_NOFOLLOW` guarantees it
    /// is a file this extraction wrote, so the link can neither alias something outside the
    /// destination nor a symlink; `linkat` without `AT_SYMLINK_FOLLOW` does not dereference.
    /// - Returns: the target's size, so the caller can charge the extra reader-visible bytes.
    func createHardlink(_ path: EntryPath, target: EntryPath) throws -> Int64 {
        guard path != target else {
            throw ArchiveRefusal(.malformed, entryPath: path.description, "hardlink points at itself")
        }
        let targetParent = try openDirectory(target.parentComponents, create: false, entry: path)
        defer { close(targetParent) }
        var info = stat()
        guard fstatat(targetParent, target.leaf, &info, AT_SYMLINK_NOFOLLOW) == 0,
              info.st_mode & S_IFMT == S_IFREG else {
            throw ArchiveRefusal(.linkEscape, entryPath: path.description,
                                 "hardlink target '\(target)' is not a regular file extracted earlier")
        }
        let parent = try openDirectory(path.parentComponents, create: true, entry: path)
        defer { close(parent) }
        _ = try replacingExisting(parent, path) { linkat(targetParent, target.leaf, parent, path.leaf, 0) }
        return Int64(info.st_size)
    }

    /// Writes all of `count` bytes at `offset`; positional so sparse entries keep their holes.
    func write(_ fd: Int32, _ bytes: UnsafeRawPointer, count: Int, at offset: Int64) throws {
        var done = 0
        while done < count {
            let wrote = pwrite(fd, bytes + done, count - done, off_t(offset) + off_t(done))
            if wrote < 0 {
                if errno == EINTR { continue }
                throw Self.posixError()
            }
            done += wrote
        }
    }

    /// Walks `components` from the root without following symlinks; the caller closes the result.
    private func openDirectory(
        _ components: some Collection<String>, create: Bool, entry: EntryPath
    ) throws -> Int32 {
        var current = dup(rootFD)
        guard current >= 0 else { throw Self.posixError() }
        for name in components {
            let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
            var next = openat(current, name, flags)
            if next < 0, errno == ENOENT, create {
                // EEXIST means another entry won a race for the name; the re-open judges it.
                if mkdirat(current, name, 0o755) != 0, errno != EEXIST {
                    let error = Self.posixError()
                    close(current)
                    throw error
                }
                next = openat(current, name, flags)
            }
            if next < 0 {
                let error = describeOpenFailure(errno, parent: current, name: name, entry: entry)
                close(current)
                throw error
            }
            close(current)
            current = next
        }
        return current
    }

    /// Turns a failed directory open into a refusal where the archive is to blame.
    private func describeOpenFailure(_ code: Int32, parent: Int32, name: String, entry: EntryPath) -> any Error {
        var info = stat()
        let isLink = fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFLNK
        switch code {
        case _ where isLink || code == ELOOP:
            return ArchiveRefusal(.linkEscape, entryPath: entry.description,
                                  "'\(name)' is a symlink; entries are never written through symlinks")
        case ENOTDIR:
            return ArchiveRefusal(.malformed, entryPath: entry.description, "'\(name)' is not a directory")
        case ENOENT:
            return ArchiveRefusal(.linkEscape, entryPath: entry.description, "'\(name)' does not exist")
        default:
            return Self.posixError(code)
        }
    }

    /// Runs `create`; if the name is taken by a non-directory, unlinks it and tries once more.
    ///
    /// Tar semantics let a later member replace an earlier one. Unlinking (never opening) the
    /// old name keeps that from writing through a symlink or into a hardlinked file's content.
    private func replacingExisting(_ parent: Int32, _ path: EntryPath, _ create: () -> Int32) throws -> Int32 {
        var result = create()
        if result < 0, errno == EEXIST {
            var info = stat()
            if fstatat(parent, path.leaf, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFDIR {
                throw ArchiveRefusal(.malformed, entryPath: path.description, "a directory already has this name")
            }
            guard unlinkat(parent, path.leaf, 0) == 0 else { throw Self.posixError() }
            result = create()
        }
        guard result >= 0 else { throw Self.posixError() }
        return result
    }

    /// Wraps `errno` (or `code`) for file-system failures that are not the archive's fault.
    static func posixError(_ code: Int32 = errno) -> POSIXError {
        POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }
}

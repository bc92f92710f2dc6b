import CArchive
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Extracts tar archives (plain, gzip, bzip2, xz or zstd) without trusting their contents.
///
/// Only regular files, directories, symlinks that stay inside the destination and hardlinks to
/// files extracted earlier are materialised. Anything else refuses the whole archive with an
/// ``ArchiveRefusal`` and removes what was written, so callers never see a half import.
public enum SafeExtractor {
    /// Extracts `archive` into `destination`, which must not exist yet or be an empty directory.
    ///
    /// - Parameters:
    ///   - archive: the tar file, compressed or not; the compression is detected from content.
    ///   - destination: folder to fill. It is created when missing; on any thrown error it is
    ///     removed again (or emptied, when it existed before the call).
    ///   - limits: size, count and inflation ceilings.
    ///   - progress: called synchronously with the running total of bytes written.
    ///   - symlinks: what an absolute symlink target means (refused, or rooted at
    ///     `destination` for an image layer; see ``SymlinkTargets``).
    /// - Returns: counts of what was created.
    /// - Throws: ``ArchiveRefusal`` when the archive is unsafe or unreadable; `POSIXError` when
    ///   the destination is unusable or the disk fails.
    public static func extract(
        archive: URL,
        into destination: URL,
        limits: ArchiveLimits = .init(),
        symlinks: SymlinkTargets = .insideDestination,
        progress: ((Int64) -> Void)? = nil
    ) throws -> ExtractSummary {
        let archivePath = try fileSystemPath(archive)
        let destinationPath = try fileSystemPath(destination)
        let createdDestination = try prepareDestination(destinationPath)
        do {
            var run = ExtractionRun(tree: try ExtractionTree(root: destinationPath), limits: limits, symlinks: symlinks,
                                    progress: progress)
            try run.extract(from: archivePath)
            return run.summary
        } catch {
            discard(destination, created: createdDestination)
            throw error
        }
    }

    /// True when `url` names a regular file (an archive to extract) rather than a directory
    /// (an already unpacked layout), a missing path or a special file. Symlinks are followed.
    public static func isArchive(_ url: URL) -> Bool {
        guard let path = try? fileSystemPath(url) else { return false }
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    private static func fileSystemPath(_ url: URL) throws -> String {
        guard url.isFileURL, let path = url.withUnsafeFileSystemRepresentation({ $0.map { String(cString: $0) } })
        else { throw POSIXError(.EINVAL) }
        return path
    }

    /// Returns whether the destination was created here, which decides how a failure cleans up.
    ///
    /// Requiring an empty folder is what makes "remove everything on refusal" safe: nothing in
    /// it can belong to anyone else.
    private static func prepareDestination(_ path: String) throws -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        guard errno == EEXIST else { throw ExtractionTree.posixError() }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw ExtractionTree.posixError() }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw POSIXError(.ENOTDIR) }
        guard try FileManager.default.contentsOfDirectory(atPath: path).isEmpty else { throw POSIXError(.ENOTEMPTY) }
        return false
    }

    /// Best-effort removal; the original error matters more than a cleanup failure.
    ///
    /// FileManager removes symlinks themselves rather than their targets, and every symlink in
    /// the tree was checked to point inside it anyway.
    private static func discard(_ destination: URL, created: Bool) {
        let files = FileManager.default
        if created {
            try? files.removeItem(at: destination)
        } else if let children = try? files.contentsOfDirectory(at: destination, includingPropertiesForKeys: nil) {
            for child in children { try? files.removeItem(at: child) }
        }
    }
}

/// State of one extraction: the libarchive loop, limit accounting and the summary.
private struct ExtractionRun {
    let tree: ExtractionTree
    let limits: ArchiveLimits
    let symlinks: SymlinkTargets
    let progress: ((Int64) -> Void)?
    var summary = ExtractSummary()
    /// Bytes charged against `maxTotalSize`: real data plus sparse holes, because a consumer
    /// reading the extracted files (hashing blobs, say) pays for the holes too.
    var charged: Int64 = 0

    mutating func extract(from path: String) throws {
        guard let archive = archive_read_new() else {
            throw ArchiveRefusal(.malformed, "libarchive could not allocate a reader")
        }
        defer { archive_read_free(archive) }
        // Named filters instead of archive_read_support_filter_all: "all" also registers
        // lrzip/lzop/grzip/lz4 fallbacks that fork external programs, which an upload must not
        // be able to trigger. The tar reader covers ustar, pax, GNU and v7 headers alike.
        archive_read_support_filter_gzip(archive)
        archive_read_support_filter_bzip2(archive)
        archive_read_support_filter_xz(archive)
        archive_read_support_filter_zstd(archive)
        archive_read_support_format_tar(archive)
        try check(archive_read_open_filename(archive, path, 64 * 1024), archive, entry: nil)
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { return }
            try check(status, archive, entry: nil)
            guard let entry else { throw ArchiveRefusal(.malformed, "libarchive returned no entry") }
            summary.entries += 1
            guard summary.entries <= limits.maxEntries else {
                throw ArchiveRefusal(.tooManyEntries, "archive has more than \(limits.maxEntries) entries")
            }
            try extractEntry(entry, from: archive)
            // Also checked between headers: long runs of metadata or padding inflate too.
            try checkRatio(archive, entry: nil)
        }
    }

    private mutating func extractEntry(_ entry: OpaquePointer, from archive: OpaquePointer) throws {
        let name = try Self.string(archive_entry_pathname(entry), what: "name", entry: nil)
        let path = try EntryPath(archiveName: name)
        // A tar hardlink reports the regular-file type, so it must be recognised first.
        if let rawTarget = archive_entry_hardlink(entry) {
            let target = try path.resolveHardlinkTarget(Self.string(rawTarget, what: "hardlink target", entry: name))
            // No disk is used, but anyone reading the tree reads the content again, so 100 000
            // links to one large file must not slip past the total limit.
            charged += try tree.createHardlink(path, target: target)
            guard charged <= limits.maxTotalSize else {
                throw ArchiveRefusal(.totalTooLarge, entryPath: name, "hardlinked content exceeds \(limits.maxTotalSize) bytes")
            }
            summary.hardlinks += 1
            return
        }
        let type = UInt32(archive_entry_filetype(entry)) & CARCHIVE_AE_IFMT
        if type == CARCHIVE_AE_IFDIR {
            if !path.isRoot { try tree.makeDirectory(path) }
            summary.directories += 1
            return
        }
        guard !path.isRoot else { throw ArchiveRefusal(.malformed, entryPath: name, "non-directory named '.'") }
        switch type {
        case CARCHIVE_AE_IFLNK:
            let target = try Self.string(archive_entry_symlink(entry), what: "symlink target", entry: name)
            let (_, written) = try path.resolveSymlinkTarget(target, absolute: symlinks)
            try tree.createSymlink(path, target: written)
            summary.symlinks += 1
        case CARCHIVE_AE_IFREG:
            try writeFile(entry, path: path, name: name, from: archive)
            summary.files += 1
        default:
            throw ArchiveRefusal(.specialFile, entryPath: name,
                                 "entry type 0o\(String(type, radix: 8)) is not a file, directory or link")
        }
    }

    private mutating func writeFile(_ entry: OpaquePointer, path: EntryPath, name: String, from archive: OpaquePointer) throws {
        // Declared sizes are checked before any data is read so a header claiming 10 GB costs
        // nothing; the streamed bytes are counted below because headers can lie.
        let declared = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : 0
        guard declared >= 0 else { throw ArchiveRefusal(.malformed, entryPath: name, "negative entry size") }
        guard declared <= limits.maxEntrySize else {
            throw ArchiveRefusal(.entryTooLarge, entryPath: name, "declares \(declared) bytes, limit \(limits.maxEntrySize)")
        }
        guard declared <= limits.maxTotalSize - charged else {
            throw ArchiveRefusal(.totalTooLarge, entryPath: name, "would exceed the \(limits.maxTotalSize)-byte archive limit")
        }
        let fd = try tree.createFile(path, executable: archive_entry_perm(entry) & 0o111 != 0)
        defer { close(fd) }
        var block: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        var entryBytes: Int64 = 0
        while true {
            let status = archive_read_data_block(archive, &block, &size, &offset)
            if status == ARCHIVE_EOF { break }
            try check(status, archive, entry: name)
            let (end, overflow) = offset.addingReportingOverflow(Int64(size))
            guard offset >= 0, !overflow, end <= limits.maxEntrySize else {
                throw ArchiveRefusal(.entryTooLarge, entryPath: name, "data runs past \(limits.maxEntrySize) bytes")
            }
            summary.bytesWritten += Int64(size)
            charged += Int64(size)
            entryBytes += Int64(size)
            guard charged <= limits.maxTotalSize else {
                throw ArchiveRefusal(.totalTooLarge, entryPath: name, "archive produced more than \(limits.maxTotalSize) bytes")
            }
            if let block, size > 0 { try tree.write(fd, block, count: size, at: offset) }
            try checkRatio(archive, entry: name)
            progress?(summary.bytesWritten)
        }
        // Sparse entries may end in a hole that no data block covers; restore the declared
        // length. The pre-check above already proved the holes fit within both limits.
        if archive_entry_sparse_count(entry) > 0 {
            guard ftruncate(fd, off_t(declared)) == 0 else { throw ExtractionTree.posixError() }
            charged += max(0, declared - entryBytes)
        }
    }

    /// Refuses when decompressed output outgrows the compressed input consumed so far.
    ///
    /// Filter 0 is the outermost decompressor's output (the tar stream) and -1 the raw bytes
    /// read from disk. The larger of that output and the bytes written is used in case a
    /// format stores data outside the filter chain's count.
    private func checkRatio(_ archive: OpaquePointer, entry: String?) throws {
        let produced = max(archive_filter_bytes(archive, 0), summary.bytesWritten)
        guard produced > limits.ratioCheckThreshold else { return }
        let consumed = max(archive_filter_bytes(archive, -1), 1)
        guard produced / consumed <= limits.maxCompressionRatio else {
            throw ArchiveRefusal(.compressionRatio, entryPath: entry,
                                 "\(produced) bytes inflated from \(consumed), ratio limit \(limits.maxCompressionRatio)")
        }
    }

    /// Maps libarchive status codes: WARN still yields usable data, anything below it does not.
    private func check(_ status: Int32, _ archive: OpaquePointer, entry: String?) throws {
        guard status != ARCHIVE_OK, status != ARCHIVE_WARN else { return }
        let detail = archive_error_string(archive).map { String(cString: $0) } ?? "libarchive status \(status)"
        throw ArchiveRefusal(.malformed, entryPath: entry, detail)
    }

    /// Decodes a libarchive string, refusing NULL and invalid UTF-8 instead of repairing it:
    /// a repaired name would no longer be the bytes the checks and the file system agree on.
    private static func string(_ raw: UnsafePointer<CChar>?, what: String, entry: String?) throws -> String {
        guard let raw else { throw ArchiveRefusal(.malformed, entryPath: entry, "entry has no \(what)") }
        guard let value = String(validatingCString: raw) else {
            throw ArchiveRefusal(.malformed, entryPath: entry, "\(what) is not valid UTF-8")
        }
        return value
    }
}

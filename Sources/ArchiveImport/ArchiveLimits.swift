/// Resource ceilings applied while an archive is extracted.
///
/// Every limit is checked against what is actually produced, not only against what the
/// archive's headers claim, because headers are attacker-controlled.
public struct ArchiveLimits: Sendable, Hashable {
    /// Largest size, in bytes, that one entry may declare or reach while its data is written.
    public var maxEntrySize: Int64
    /// Largest number of bytes that may be written across all entries together.
    public var maxTotalSize: Int64
    /// Largest number of headers (files, directories, links, refused kinds alike) the archive may hold.
    public var maxEntries: Int
    /// Largest decompressed-to-compressed byte ratio tolerated once `ratioCheckThreshold` bytes
    /// have been decompressed.
    public var maxCompressionRatio: Int64
    /// Decompressed bytes that must have been produced before `maxCompressionRatio` is enforced.
    ///
    /// Small archives legitimately compress extremely well (a tar of a few empty files is mostly
    /// zero padding), so the ratio is only meaningful once a substantial amount was inflated.
    public var ratioCheckThreshold: Int64

    /// Creates limits; the defaults suit OCI image layouts of a few GiB.
    /// - Parameters:
    ///   - maxEntrySize: per-entry ceiling, 8 GiB by default.
    ///   - maxTotalSize: whole-archive ceiling, 16 GiB by default.
    ///   - maxEntries: header-count ceiling, 100 000 by default.
    ///   - maxCompressionRatio: inflation ceiling, 1000 by default (gzip's own maximum is about 1030).
    ///   - ratioCheckThreshold: bytes inflated before the ratio counts, 64 MiB by default.
    public init(
        maxEntrySize: Int64 = 8 << 30,
        maxTotalSize: Int64 = 16 << 30,
        maxEntries: Int = 100_000,
        maxCompressionRatio: Int64 = 1000,
        ratioCheckThreshold: Int64 = 64 << 20
    ) {
        self.maxEntrySize = maxEntrySize
        self.maxTotalSize = maxTotalSize
        self.maxEntries = maxEntries
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioCheckThreshold = ratioCheckThreshold
    }
}

/// What a successful extraction produced.
public struct ExtractSummary: Sendable, Hashable {
    /// Headers read from the archive, including directories and links.
    public var entries: Int = 0
    /// Regular files written.
    public var files: Int = 0
    /// Directories created or confirmed (an archive may list the same directory twice).
    public var directories: Int = 0
    /// Symbolic links created; all of them resolve inside the destination.
    public var symlinks: Int = 0
    /// Hard links created; all of them point at a regular file extracted earlier from the same archive.
    public var hardlinks: Int = 0
    /// Bytes of file data actually written (sparse holes are not counted).
    public var bytesWritten: Int64 = 0

    /// Creates an empty summary; the extractor fills it in as it goes.
    public init() {}
}

/// Why an archive was refused. Any refusal leaves the destination removed (or empty when it
/// existed beforehand), so a refused import never leaves partial content behind.
public struct ArchiveRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable, machine-readable refusal codes; the raw values are meant for API error bodies and audit logs.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// An entry path contains a `..` component.
        case pathTraversal = "archive.path_traversal"
        /// An entry path starts with `/`.
        case absolutePath = "archive.absolute_path"
        /// A symlink or hardlink would point outside the destination, at something that is not an
        /// earlier regular file, or an entry would be written through a symlink.
        case linkEscape = "archive.link_escape"
        /// A device, FIFO, socket or other non-file entry.
        case specialFile = "archive.special_file"
        /// One entry declares or produces more than `ArchiveLimits.maxEntrySize` bytes.
        case entryTooLarge = "archive.entry_too_large"
        /// The archive declares or produces more than `ArchiveLimits.maxTotalSize` bytes.
        case totalTooLarge = "archive.total_too_large"
        /// The archive holds more than `ArchiveLimits.maxEntries` headers.
        case tooManyEntries = "archive.too_many_entries"
        /// Decompression inflates beyond `ArchiveLimits.maxCompressionRatio`.
        case compressionRatio = "archive.compression_ratio"
        /// libarchive could not read the archive, or an entry is unusable (empty name, bad UTF-8,
        /// a file where a directory is needed, ...).
        case malformed = "archive.malformed"
    }

    /// The refusal code.
    public let reason: Reason
    /// The offending entry's path as stored in the archive, when the refusal concerns one entry.
    public let entryPath: String?
    /// Human-readable detail, safe to show to the uploader.
    public let message: String

    /// Creates a refusal.
    public init(_ reason: Reason, entryPath: String? = nil, _ message: String) {
        self.reason = reason
        self.entryPath = entryPath
        self.message = message
    }

    /// `code: message (entry "path")`, suitable for logs.
    public var description: String {
        guard let entryPath else { return "\(reason.rawValue): \(message)" }
        return "\(reason.rawValue): \(message) (entry \"\(entryPath)\")"
    }
}

import Crypto
import Foundation
import PlatformContracts

#if canImport(Glibc)
import Glibc
#endif

/// The content-addressed blob store on a local filesystem.
///
/// ```
/// <root>/
/// ├── sha256/
/// │   └── 2c/
/// │       └── 2c26b46b68ff…e7ae     committed blob, named by its digest
/// └── _uploads/
///     └── <uuid>                    staged bytes; renamed into place only after the digest matched
/// ```
///
/// Staging lives under the same root so the final `rename(2)` is atomic: a reader sees a
/// whole verified blob or none, even if the process is killed mid-write.
public struct FileSystemBlobStore: BlobStore {
    /// The folder that holds `sha256/` and `_uploads/`.
    public let root: URL
    private static let chunkSize = 64 * 1024

    /// Opens (and creates) a store.
    /// - Parameter root: Typically `DATA_DIR/blobs`.
    public init(root: URL) throws {
        self.root = root
        do {
            try FileManager.default.createDirectory(at: uploadsFolder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("sha256"), withIntermediateDirectories: true)
        } catch {
            throw PlatformError(.blobStorageFailed, "cannot create blob store at \(root.path): \(error)")
        }
    }

    /// The only place a blob's path is built.
    public func path(for digest: ContentDigest) -> URL {
        root.appendingPathComponent(digest.algorithm)
            .appendingPathComponent(String(digest.hex.prefix(2)))
            .appendingPathComponent(digest.hex)
    }

    /// Where writers and the registry's resumable uploads stage bytes (same filesystem as the blobs).
    public var uploadsFolder: URL { root.appendingPathComponent("_uploads") }

    /// Moves a verified, fully written staged file into place under `digest`: the one place
    /// where a blob becomes visible (atomic `rename(2)`; a blob already there wins and the
    /// staged copy is dropped).
    func install(_ staged: URL, as digest: ContentDigest) throws {
        let final = path(for: digest)
        if FileManager.default.fileExists(atPath: final.path) {
            try? FileManager.default.removeItem(at: staged)
            return
        }
        try? FileManager.default.createDirectory(at: final.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard rename(staged.path, final.path) == 0 else {
            throw PlatformError(.blobStorageFailed, "rename into place failed: errno \(errno)")
        }
    }

    /// Size and digest of a stored blob.
    public func info(_ digest: ContentDigest) async throws -> BlobInfo? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path(for: digest).path),
              let size = attributes[.size] as? NSNumber
        else { return nil }
        return BlobInfo(digest: digest, size: size.int64Value)
    }

    /// Streams a blob in 64 KiB chunks.
    public func read(_ digest: ContentDigest, range: ClosedRange<Int64>?) async throws -> AsyncThrowingStream<Data, any Error> {
        guard let info = try await info(digest) else {
            throw PlatformError(.blobNotFound, "no blob \(digest)", details: ["digest": digest.description])
        }
        let bounds = try BlobRange.resolve(range, size: info.size)
        let url = path(for: digest)
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let task = Task {
            do {
                try Self.stream(url, bounds: bounds, digest: digest, into: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private static func stream(
        _ url: URL, bounds: Range<Int64>, digest: ContentDigest,
        into continuation: AsyncThrowingStream<Data, any Error>.Continuation
    ) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw PlatformError(.blobNotFound, "no blob \(digest)", details: ["digest": digest.description])
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(bounds.lowerBound))
        var remaining = bounds.upperBound - bounds.lowerBound
        while remaining > 0, !Task.isCancelled {
            let wanted = Int(min(Int64(chunkSize), remaining))
            guard let chunk = try handle.read(upToCount: wanted), !chunk.isEmpty else {
                throw PlatformError(.blobStorageFailed, "blob \(digest) is shorter on disk than recorded")
            }
            remaining -= Int64(chunk.count)
            continuation.yield(chunk)
        }
    }

    /// Starts a staged write under `_uploads/`.
    public func makeWriter() async throws -> any BlobWriter {
        try StagedBlobWriter(folder: uploadsFolder) { staged, digest in try self.install(staged, as: digest) }
    }

    /// The file's modification time: when it was renamed into place.
    public func storedAt(_ digest: ContentDigest) async throws -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path(for: digest).path))?[.modificationDate] as? Date
    }

    /// The blob's file, for the edge's file IO.
    public func delivery(_ digest: ContentDigest) async throws -> BlobDelivery {
        .file(path: path(for: digest).path)
    }

    /// Renames a verified file into place; it must be on this store's filesystem (the
    /// registry stages resumable uploads in ``uploadsFolder`` for that reason).
    public func adopt(file: URL, as digest: ContentDigest) async throws -> BlobInfo {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? NSNumber else {
            throw PlatformError(.blobStorageFailed, "the staged file \(file.path) is gone")
        }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
        try install(file, as: digest)
        return BlobInfo(digest: digest, size: size.int64Value)
    }

    /// Removes a blob.
    public func delete(_ digest: ContentDigest) async throws -> Bool {
        let url = path(for: digest)
        guard FileManager.default.fileExists(atPath: url.path) else { return false }
        do {
            try FileManager.default.removeItem(at: url)
            return true
        } catch {
            throw PlatformError(.blobStorageFailed, "cannot delete blob \(digest): \(error)")
        }
    }

    /// Every committed digest; staged uploads are never listed.
    public func digests() async throws -> [ContentDigest] {
        let base = root.appendingPathComponent("sha256")
        let fanOut = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        var result: [ContentDigest] = []
        for folder in fanOut {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent(folder).path)) ?? []
            for name in names where name.hasPrefix(folder) {
                if let digest = try? ContentDigest(parsing: "sha256:\(name)") { result.append(digest) }
            }
        }
        return result.sorted()
    }
}

/// Resolves an inclusive byte range against a blob's size.
enum BlobRange {
    static func resolve(_ range: ClosedRange<Int64>?, size: Int64) throws(PlatformError) -> Range<Int64> {
        guard let range else { return 0..<size }
        guard range.lowerBound >= 0, range.upperBound < size else {
            throw PlatformError(
                .blobRangeInvalid, "range \(range.lowerBound)-\(range.upperBound) is outside a blob of \(size) bytes")
        }
        return range.lowerBound..<(range.upperBound + 1)
    }
}

import Crypto
import Foundation
import NIOCore
import PlatformContracts
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Resumable staged uploads in front of a ``BlobStore`` (what OCI chunked pushes need):
/// bytes are appended to `<folder>/resumable-<id>` on local disk, which survives a restart,
/// and become a blob only when ``commit(_:expecting:)`` has verified the digest and the store
/// adopted the file (``FileSystemBlobStore``: a rename into place, so the folder must be its
/// ``FileSystemBlobStore/uploadsFolder``; ``S3BlobStore``: an upload under the digest's key).
/// A killed upload therefore leaves nothing visible; its file can be resumed from its size
/// or expires.
///
/// The staging is this process's disk: a chunked upload must reach the replica that started
/// it (a monolithic push is one request and goes anywhere).
///
/// The running SHA-256 of each upload is kept in memory; after a restart (or an interrupted
/// chunk) it is rebuilt from the file at commit time, so resuming costs one re-read.
public final class ResumableUploads: Sendable {
    private struct HashState: @unchecked Sendable {  // SHA256 is a plain value type without the annotation
        var hasher: SHA256
        var offset: Int64
    }

    let store: any BlobStore
    /// Where the upload files are.
    let folder: URL
    private let hashes = Mutex<[String: HashState]>([:])
    private let busy = Mutex<Set<String>>([])

    private init(existing folder: URL, store: any BlobStore) {
        self.store = store
        self.folder = folder
    }

    /// Creates the upload area of a store.
    /// - Parameters:
    ///   - store: Where committed uploads go.
    ///   - folder: Local staging, created if missing.
    public convenience init(store: any BlobStore, folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PlatformError(.blobStorageFailed, "cannot create the upload folder \(folder.path): \(error)")
        }
        self.init(existing: folder, store: store)
    }

    /// The upload area of a filesystem store: its own staging folder (created with the
    /// store), so a commit is a rename.
    public convenience init(store: FileSystemBlobStore) {
        self.init(existing: store.uploadsFolder, store: store)
    }

    private func url(_ id: String) -> URL {
        folder.appendingPathComponent("resumable-\(id)")
    }

    /// Starts an empty upload.
    public func create(_ id: String) throws {
        guard FileManager.default.createFile(atPath: url(id).path, contents: nil) else {
            throw PlatformError(.blobStorageFailed, "cannot stage an upload in \(folder.path)")
        }
        hashes.withLock { $0[id] = HashState(hasher: SHA256(), offset: 0) }
    }

    /// Bytes received so far, or `nil` when no such upload exists.
    public func size(_ id: String) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url(id).path),
              let size = attributes[.size] as? NSNumber else { return nil }
        return size.int64Value
    }

    /// Appends a request body to an upload.
    /// - Parameters:
    ///   - id: The upload.
    ///   - offset: Where the client says the chunk starts; must equal the current size.
    ///   - body: The bytes.
    /// - Returns: The new size.
    /// - Throws: ``ErrorCode/artifactUploadUnknown``, ``ErrorCode/artifactRangeInvalid`` (chunk out of
    ///   order), ``ErrorCode/artifactUploadInvalid`` (another chunk is being written).
    public func append<Body: AsyncSequence>(_ id: String, at offset: Int64?, body: Body) async throws -> Int64
    where Body.Element == ByteBuffer {
        try claim(id)
        defer { release(id) }
        guard let current = size(id) else { throw PlatformError(.artifactUploadUnknown, "no upload \(id)") }
        if let offset, offset != current {
            throw PlatformError(.artifactRangeInvalid, "the chunk starts at \(offset) but the upload holds \(current) bytes",
                                details: ["size": String(current)])
        }
        let fd = open(url(id).path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw PlatformError(.artifactUploadUnknown, "no upload \(id)") }
        defer { close(fd) }
        var state = hashes.withLock { $0.removeValue(forKey: id) }
        if state?.offset != current { state = nil }
        var written = current
        for try await buffer in body {
            try buffer.withUnsafeReadableBytes { bytes in
                try Self.writeAll(fd, bytes)
                state?.hasher.update(bufferPointer: bytes)
            }
            written += Int64(buffer.readableBytes)
            state?.offset = written
        }
        if let finished = state { hashes.withLock { [finished] in $0[id] = finished } }
        return written
    }

    /// Verifies the digest and moves the upload into the store.
    /// - Throws: ``ErrorCode/artifactUploadUnknown``, ``ErrorCode/artifactDigestInvalid`` (the upload is
    ///   discarded: nothing becomes visible).
    public func commit(_ id: String, expecting digest: ContentDigest) async throws -> BlobInfo {
        try claim(id)
        defer { release(id) }
        guard let size = size(id) else { throw PlatformError(.artifactUploadUnknown, "no upload \(id)") }
        let source = url(id)
        let state = hashes.withLock { $0.removeValue(forKey: id) }
        let actual: ContentDigest
        if let state, state.offset == size {
            actual = ContentDigest(sha256Bytes: state.hasher.finalize())
        } else {
            actual = try Self.hash(file: source)
        }
        guard actual == digest else {
            try? FileManager.default.removeItem(at: source)
            throw PlatformError(.artifactDigestInvalid, "the upload hashes to \(actual), not \(digest); it was discarded",
                                details: ["claimed": digest.description, "actual": actual.description])
        }
        let info = try await store.adopt(file: source, as: digest)
        guard info.size == size else {
            throw PlatformError(.blobStorageFailed, "the store holds \(info.size) bytes for \(digest), the upload had \(size)")
        }
        return info
    }

    /// Discards an upload; returns whether one existed.
    @discardableResult
    public func cancel(_ id: String) -> Bool {
        hashes.withLock { _ = $0.removeValue(forKey: id) }
        return (try? FileManager.default.removeItem(at: url(id))) != nil
    }

    /// Removes uploads untouched since `cutoff`; returns their ids.
    public func expire(untouchedSince cutoff: Date) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var removed: [String] = []
        for name in names where name.hasPrefix("resumable-") {
            let id = String(name.dropFirst("resumable-".count))
            let path = folder.appendingPathComponent(name).path
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  modified < cutoff, !busy.withLock({ $0.contains(id) }) else { continue }
            if cancel(id) { removed.append(id) }
        }
        return removed
    }

    private func claim(_ id: String) throws {
        let claimed = busy.withLock { $0.insert(id).inserted }
        guard claimed else {
            throw PlatformError(.artifactUploadInvalid, "another request is writing upload \(id); send chunks one at a time")
        }
    }

    private func release(_ id: String) {
        _ = busy.withLock { $0.remove(id) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let result = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if result < 0 {
                if errno == EINTR { continue }
                throw PlatformError(.blobStorageFailed, "cannot write upload: errno \(errno)")
            }
            offset += result
        }
    }

    static func hash(file: URL) throws -> ContentDigest {
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            throw PlatformError(.artifactUploadUnknown, "upload vanished")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return ContentDigest(sha256Bytes: hasher.finalize())
    }
}

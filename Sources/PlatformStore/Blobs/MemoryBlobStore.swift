import Crypto
import Foundation
import PlatformContracts

/// The in-memory twin of ``FileSystemBlobStore`` for unit tests of logic; it passes the
/// same conformance suite.
public actor MemoryBlobStore: BlobStore {
    private var blobs: [ContentDigest: Data] = [:]
    private var stored: [ContentDigest: Date] = [:]

    /// Creates an empty store.
    public init() {}

    /// Size and digest of a stored blob.
    public func info(_ digest: ContentDigest) -> BlobInfo? {
        blobs[digest].map { BlobInfo(digest: digest, size: Int64($0.count)) }
    }

    /// Yields the blob (or range) as one chunk.
    public func read(_ digest: ContentDigest, range: ClosedRange<Int64>?) throws -> AsyncThrowingStream<Data, any Error> {
        guard let data = blobs[digest] else {
            throw PlatformError(.blobNotFound, "no blob \(digest)", details: ["digest": digest.description])
        }
        let bounds = try BlobRange.resolve(range, size: Int64(data.count))
        let slice = data.subdata(in: Int(bounds.lowerBound)..<Int(bounds.upperBound))
        return AsyncThrowingStream { continuation in
            if !slice.isEmpty { continuation.yield(slice) }
            continuation.finish()
        }
    }

    /// Starts a staged write held in memory.
    public func makeWriter() -> any BlobWriter {
        MemoryBlobWriter(store: self)
    }

    /// Removes a blob.
    public func delete(_ digest: ContentDigest) -> Bool {
        stored.removeValue(forKey: digest)
        return blobs.removeValue(forKey: digest) != nil
    }

    /// When the blob was first committed.
    public func storedAt(_ digest: ContentDigest) -> Date? {
        stored[digest]
    }

    /// Every stored digest.
    public func digests() -> [ContentDigest] {
        blobs.keys.sorted()
    }

    fileprivate func store(_ data: Data, as digest: ContentDigest) {
        if blobs[digest] == nil {
            blobs[digest] = data
            stored[digest] = Date()
        }
    }
}

private actor MemoryBlobWriter: BlobWriter {
    private let store: MemoryBlobStore
    private var buffer: Data? = Data()

    init(store: MemoryBlobStore) {
        self.store = store
    }

    var size: Int64 { Int64(buffer?.count ?? 0) }

    func write(_ bytes: Data) throws {
        guard buffer != nil else { throw PlatformError(.blobUploadClosed, "this upload was already committed or cancelled") }
        buffer?.append(bytes)
    }

    func commit(expecting digest: ContentDigest) async throws -> BlobInfo {
        guard let data = buffer else {
            throw PlatformError(.blobUploadClosed, "this upload was already committed or cancelled")
        }
        buffer = nil
        let actual = ContentDigest(sha256Bytes: SHA256.hash(data: data))
        guard actual == digest else {
            throw PlatformError(
                .blobDigestMismatch,
                "content hashes to \(actual), not the claimed \(digest); nothing was stored",
                details: ["claimed": digest.description, "actual": actual.description])
        }
        await store.store(data, as: digest)
        return BlobInfo(digest: digest, size: Int64(data.count))
    }

    func cancel() {
        buffer = nil
    }
}

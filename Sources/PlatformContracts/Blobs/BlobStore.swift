import Foundation

/// What the store knows about one blob.
public struct BlobInfo: Hashable, Sendable, Codable {
    /// The blob's content address.
    public let digest: ContentDigest
    /// Its size in bytes.
    public let size: Int64

    /// Creates a description of a stored blob.
    public init(digest: ContentDigest, size: Int64) {
        self.digest = digest
        self.size = size
    }
}

/// A content-addressed blob store: bytes go in through a ``BlobWriter`` and become visible
/// under their digest only once the digest has been verified.
///
/// Implementations: `FileSystemBlobStore` (`blobs/sha256/ab/<hex>`, staged then renamed),
/// `S3BlobStore` (objects `<prefix>/sha256/ab/<hex>` in a bucket, uploaded only after the
/// digest matched) and `MemoryBlobStore`, the fast tier's twin; all pass one conformance suite.
///
/// ```swift
/// let info = try await store.put(data, expecting: digest)
/// for try await chunk in try await store.read(digest) { … }
/// ```
public protocol BlobStore: Sendable {
    /// Returns size and digest of a stored blob, or `nil` if none is stored.
    func info(_ digest: ContentDigest) async throws -> BlobInfo?

    /// Streams a blob's bytes, optionally a byte range of it.
    /// - Parameters:
    ///   - digest: The blob to read.
    ///   - range: Offsets of the first and last byte to read (inclusive); `nil` for all.
    /// - Throws: ``ErrorCode/blobNotFound``, ``ErrorCode/blobRangeInvalid``.
    func read(_ digest: ContentDigest, range: ClosedRange<Int64>?) async throws -> AsyncThrowingStream<Data, any Error>

    /// Starts a staged write; nothing is visible until ``BlobWriter/commit(expecting:)``.
    func makeWriter() async throws -> any BlobWriter

    /// Removes a blob; returns whether one was there.
    @discardableResult
    func delete(_ digest: ContentDigest) async throws -> Bool

    /// Every stored digest, in digest order.
    func digests() async throws -> [ContentDigest]

    /// When a blob was stored, or `nil` if unknown; the registry's collector spares blobs
    /// younger than its grace period (a blob pushed a moment ago is not linked yet).
    func storedAt(_ digest: ContentDigest) async throws -> Date?

    /// How the HTTP edge hands a stored blob's bytes out.
    func delivery(_ digest: ContentDigest) async throws -> BlobDelivery

    /// Makes a fully written local file, whose bytes the caller has already verified to hash
    /// to `digest`, a blob: the resumable-upload path. The file is consumed either way.
    func adopt(file: URL, as digest: ContentDigest) async throws -> BlobInfo
}

/// How a blob's bytes reach an HTTP client.
public enum BlobDelivery: Sendable, Equatable {
    /// A local file the edge sends with file IO (no copy through the store).
    case file(path: String)
    /// A short-lived URL the client fetches the bytes from itself, as distribution redirects
    /// to pre-signed object-store URLs.
    case redirect(URL)
    /// Through ``BlobStore/read(_:range:)``.
    case stream
}

/// A staged write into a ``BlobStore``.
public protocol BlobWriter: Sendable {
    /// Bytes received so far.
    var size: Int64 { get async }

    /// Appends bytes to the staged blob.
    func write(_ bytes: Data) async throws

    /// Verifies that the bytes hash to `digest` and makes the blob visible under it.
    /// On a mismatch nothing becomes visible and the staged bytes are removed.
    /// - Throws: ``ErrorCode/blobDigestMismatch``, ``ErrorCode/blobUploadClosed``.
    @discardableResult
    func commit(expecting digest: ContentDigest) async throws -> BlobInfo

    /// Discards the staged bytes.
    func cancel() async
}

extension BlobStore {
    /// Unknown unless a driver keeps it.
    public func storedAt(_ digest: ContentDigest) async throws -> Date? { nil }

    /// Streamed through ``read(_:range:)`` unless a driver knows better.
    public func delivery(_ digest: ContentDigest) async throws -> BlobDelivery { .stream }

    /// Streams the file through a writer (which hashes it again) and removes it.
    public func adopt(file: URL, as digest: ContentDigest) async throws -> BlobInfo {
        defer { try? FileManager.default.removeItem(at: file) }
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            throw PlatformError(.blobStorageFailed, "cannot read the staged file \(file.path)")
        }
        defer { try? handle.close() }
        let writer = try await makeWriter()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try await writer.write(chunk)
            }
            return try await writer.commit(expecting: digest)
        } catch {
            await writer.cancel()
            throw error
        }
    }

    /// Writes a whole blob in one call.
    /// - Parameters:
    ///   - bytes: The blob's content.
    ///   - digest: The digest the content must have.
    @discardableResult
    public func put(_ bytes: Data, expecting digest: ContentDigest) async throws -> BlobInfo {
        let writer = try await makeWriter()
        do {
            try await writer.write(bytes)
            return try await writer.commit(expecting: digest)
        } catch {
            await writer.cancel()
            throw error
        }
    }

    /// Reads a whole blob into memory; for small blobs such as manifests.
    public func readAll(_ digest: ContentDigest) async throws -> Data {
        var result = Data()
        for try await chunk in try await read(digest, range: nil) {
            result.append(chunk)
        }
        return result
    }
}

import Crypto
import Foundation
import PlatformContracts

#if canImport(Glibc)
import Glibc
#endif

/// A staged write into a ``FileSystemBlobStore``: bytes go to `_uploads/<uuid>` while
/// being hashed; ``commit(expecting:)`` fsyncs and renames into place only if the digest
/// matches.
actor FileSystemBlobWriter: BlobWriter {
    private let store: FileSystemBlobStore
    private let stagingURL: URL
    private var handle: FileHandle?
    private var hasher = SHA256()
    private(set) var size: Int64 = 0

    init(store: FileSystemBlobStore) throws {
        self.store = store
        self.stagingURL = store.uploadsFolder.appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: stagingURL.path, contents: nil) else {
            throw PlatformError(.blobStorageFailed, "cannot stage an upload in \(store.uploadsFolder.path)")
        }
        do {
            self.handle = try FileHandle(forWritingTo: stagingURL)
        } catch {
            throw PlatformError(.blobStorageFailed, "cannot open staged upload: \(error)")
        }
    }

    func write(_ bytes: Data) async throws {
        guard let handle else { throw PlatformError(.blobUploadClosed, "this upload was already committed or cancelled") }
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw PlatformError(.blobStorageFailed, "cannot write staged upload: \(error)")
        }
        hasher.update(data: bytes)
        size += Int64(bytes.count)
    }

    func commit(expecting digest: ContentDigest) async throws -> BlobInfo {
        guard let handle else { throw PlatformError(.blobUploadClosed, "this upload was already committed or cancelled") }
        self.handle = nil
        let actual = ContentDigest(sha256Bytes: hasher.finalize())
        guard actual == digest else {
            try? handle.close()
            discardStaged()
            throw PlatformError(
                .blobDigestMismatch,
                "content hashes to \(actual), not the claimed \(digest); nothing was stored",
                details: ["claimed": digest.description, "actual": actual.description])
        }
        do {
            try handle.synchronize()
            try handle.close()
            try store.install(stagingURL, as: digest)
            return BlobInfo(digest: digest, size: size)
        } catch {
            discardStaged()
            throw (error as? PlatformError) ?? PlatformError(.blobStorageFailed, "cannot commit blob \(digest): \(error)")
        }
    }

    func cancel() async {
        try? handle?.close()
        handle = nil
        discardStaged()
    }

    private func discardStaged() {
        try? FileManager.default.removeItem(at: stagingURL)
    }
}

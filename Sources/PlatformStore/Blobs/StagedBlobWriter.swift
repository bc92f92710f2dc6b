import Crypto
import Foundation
import PlatformContracts

#if canImport(Glibc)
import Glibc
#endif

/// A staged write into a store that keeps its staging on local disk: bytes go to
/// `<folder>/<uuid>` while being hashed; ``commit(expecting:)`` fsyncs and hands the file to
/// `install` only if the digest matches. ``FileSystemBlobStore`` installs with a `rename(2)`
/// into place; ``S3BlobStore`` uploads the file under its digest's key. Either way nothing is
/// visible under a digest its bytes do not have.
actor StagedBlobWriter: BlobWriter {
    /// Moves a verified staged file into its store under a digest; consumes the file or throws.
    typealias Install = @Sendable (URL, ContentDigest) async throws -> Void

    private let install: Install
    private let stagingURL: URL
    private var handle: FileHandle?
    private var hasher = SHA256()
    private(set) var size: Int64 = 0

    init(folder: URL, install: @escaping Install) throws {
        self.install = install
        self.stagingURL = folder.appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: stagingURL.path, contents: nil) else {
            throw PlatformError(.blobStorageFailed, "cannot stage an upload in \(folder.path)")
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
            try await install(stagingURL, digest)
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

import Crypto
import Foundation
import PlatformContracts

/// `blobstore:writable`: the blob store accepts, returns and removes a blob. Any driver:
/// a probe of fresh random bytes goes through the same writer, read and delete paths as a
/// push, so a full disk, a read-only mount, a wrong S3 secret or an unreachable bucket fails it.
public struct BlobStoreHealthCheck: HealthCheck {
    /// The check key.
    public let key = "blobstore:writable"
    private let store: any BlobStore

    /// Creates the check.
    public init(store: any BlobStore) {
        self.store = store
    }

    /// Writes, reads back and deletes a 32-byte probe blob. Random bytes: no real blob can
    /// share the probe's digest, so the delete never removes anything else.
    public func check() async -> HealthCheckResult {
        let bytes = Data((0..<32).map { _ in UInt8.random(in: .min ... .max) })
        let digest = ContentDigest(sha256Bytes: SHA256.hash(data: bytes))
        do {
            try await store.put(bytes, expecting: digest)
            let back = try await store.readAll(digest)
            try await store.delete(digest)
            guard back == bytes else {
                return HealthCheckResult(status: .fail, componentType: "datastore", time: .now(),
                                         output: "the probe blob read back different bytes")
            }
            return HealthCheckResult(status: .pass, componentType: "datastore", time: .now())
        } catch {
            let message = (error as? PlatformError)?.message ?? "\(error)"
            return HealthCheckResult(status: .fail, componentType: "datastore", time: .now(), output: "probe blob: \(message)")
        }
    }
}

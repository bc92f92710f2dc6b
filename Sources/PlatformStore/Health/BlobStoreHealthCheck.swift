import Foundation
import PlatformContracts

/// `blobstore:writable`: the blob folder exists and accepts a staged file.
public struct BlobStoreHealthCheck: HealthCheck {
    /// The check key.
    public let key = "blobstore:writable"
    private let store: FileSystemBlobStore

    /// Creates the check.
    public init(store: FileSystemBlobStore) {
        self.store = store
    }

    /// Writes and removes a probe file in the staging folder.
    public func check() async -> HealthCheckResult {
        let probe = store.uploadsFolder.appendingPathComponent(".probe-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data("ok".utf8)) else {
            return HealthCheckResult(
                status: .fail, componentType: "datastore", time: .now(),
                output: "cannot write to \(store.uploadsFolder.path)")
        }
        try? FileManager.default.removeItem(at: probe)
        return HealthCheckResult(status: .pass, componentType: "datastore", time: .now())
    }
}

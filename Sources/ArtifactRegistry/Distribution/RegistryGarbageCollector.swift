import Foundation
import Logging
import PlatformContracts
import PlatformStore
import ServiceLifecycle
import SQLKit

/// What one collection removed.
public struct CollectionReport: Sendable, Codable, Equatable {
    /// Blobs deleted from the store.
    public var blobsDeleted: Int
    /// Bytes freed.
    public var bytesFreed: Int64
    /// Blob links dropped (uploaded but never referenced within the grace period).
    public var linksDropped: Int
    /// Upload sessions expired.
    public var uploadsExpired: Int
}

/// Mark-and-sweep over the blob store: the live set is every stored manifest, everything a
/// manifest references, and every blob linked within the grace period (a push between its
/// blobs and its manifest). Nothing a manifest references is ever deleted.
public struct RegistryGarbageCollector: Service {
    let registry: OCIRegistry
    let grace: Duration
    let uploadLifetime: Duration
    let interval: Duration
    let logger: Logger

    /// Creates the collector.
    public init(registry: OCIRegistry, grace: Duration = .seconds(3600), uploadLifetime: Duration = .seconds(86_400),
                interval: Duration = .seconds(3600), logger: Logger) {
        self.registry = registry
        self.grace = grace
        self.uploadLifetime = uploadLifetime
        self.interval = interval
        self.logger = logger
    }

    /// Collects every `interval` until shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { break }
            do {
                let report = try await collect()
                logger.info("registry garbage collection", metadata: [
                    "blobs_deleted": "\(report.blobsDeleted)", "bytes_freed": "\(report.bytesFreed)",
                    "uploads_expired": "\(report.uploadsExpired)",
                ])
            } catch {
                logger.warning("registry garbage collection failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// One mark-and-sweep pass.
    public func collect() async throws -> CollectionReport {
        let now = Date()
        let cutoff = Timestamp(millisecondsSinceEpoch: UInt64(max(0, now.timeIntervalSince1970 - Self.seconds(grace)) * 1000)).rfc3339
        let expiredUploads = registry.uploads.expire(untouchedSince: now.addingTimeInterval(-Self.seconds(uploadLifetime)))
        let (live, dropped) = try await registry.store.transaction { db in
            for id in expiredUploads {
                try await db.delete(from: "artifacts_uploads").where("id", .equal, id).run()
            }
            let referenced = try await db.select().column("child").from("artifacts_manifest_refs").all()
                .map { try $0.decode(column: "child", as: String.self) }
            let manifests = try await db.select().column("digest").from("artifacts_manifests").all()
                .map { try $0.decode(column: "digest", as: String.self) }
            var live = Set(referenced).union(manifests)
            let links = try await db.select().columns("repository", "digest", "created_at").from("artifacts_blob_links").all()
            var dropped = 0
            for link in links {
                let digest = try link.decode(column: "digest", as: String.self)
                if live.contains(digest) { continue }
                if try link.decode(column: "created_at", as: String.self) > cutoff {
                    live.insert(digest)
                    continue
                }
                try await db.delete(from: "artifacts_blob_links").where("repository", .equal, try link.decode(column: "repository", as: String.self))
                    .where("digest", .equal, digest).run()
                dropped += 1
            }
            return (live, dropped)
        }
        var report = CollectionReport(blobsDeleted: 0, bytesFreed: 0, linksDropped: dropped, uploadsExpired: expiredUploads.count)
        let recent = now.addingTimeInterval(-Self.seconds(grace))
        for digest in try await registry.blobs.digests() where !live.contains(digest.description) {
            // A blob committed a moment ago may not be linked yet.
            // A store that cannot date a blob keeps it: collecting is never urgent, losing a blob is.
            guard let stored = try await registry.blobs.storedAt(digest), stored <= recent else { continue }
            let size = try await registry.blobs.info(digest)?.size ?? 0
            if try await registry.blobs.delete(digest) {
                report.blobsDeleted += 1
                report.bytesFreed += size
            }
        }
        if report.blobsDeleted > 0 || report.uploadsExpired > 0 || report.linksDropped > 0 {
            try await registry.store.transaction { db in
                try await registry.audit.append(
                    AuditEvent(actor: PrincipalID("platformd"), action: "artifacts.gc.run", target: "registry", outcome: .success,
                               requestID: nil, details: ["blobsDeleted": "\(report.blobsDeleted)", "bytesFreed": "\(report.bytesFreed)",
                                                         "linksDropped": "\(report.linksDropped)", "uploadsExpired": "\(report.uploadsExpired)"]),
                    tenant: nil, in: db)
            }
        }
        return report
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}

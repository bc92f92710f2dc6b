import Logging
import PlatformContracts
import PlatformStore
import ServiceLifecycle
import SQLKit

/// Meters registry storage: once per sample interval it reads the bytes each project's
/// repositories hold (counted as `quota.registry_storage_bytes` counts them) and records one
/// `registry-storage-gib-hour` event per project holding any, of `bytes × interval seconds`
/// byte-seconds (the unit's precision is 3600 × 2³⁰, so no fraction is ever rounded away).
///
/// The event id is `storage/<project>/<bucket start ms>`: one sample per project per bucket,
/// whoever takes it. A restart within a bucket re-sends the same id; when the bytes changed
/// in between, the log answers `usage.event_conflict` and the first sample stands — a sample
/// is a sample, never rewritten.
public struct RegistryStorageSampler: Service {
    /// The unit it records (`usage-units.yaml`, owner `artifacts`).
    public static let unit = "registry-storage-gib-hour"
    /// The product it records as (`products.yaml`).
    public static let source = "artifacts"

    let registry: OCIRegistry
    let usage: any UsageRecorder
    let interval: Duration
    let unitVersion: Int
    let now: @Sendable () -> Timestamp
    let logger: Logger

    /// Creates the sampler.
    /// - Parameters:
    ///   - interval: The sample interval (`--storage-sample-interval`); each sample covers one.
    ///   - unitVersion: The unit's registry version.
    public init(registry: OCIRegistry, usage: any UsageRecorder, interval: Duration, unitVersion: Int = 1,
                now: @escaping @Sendable () -> Timestamp = { .now() }, logger: Logger) {
        self.registry = registry
        self.usage = usage
        self.interval = interval
        self.unitVersion = unitVersion
        self.now = now
        self.logger = logger
    }

    var intervalMs: UInt64 {
        let (seconds, attoseconds) = interval.components
        return max(1000, UInt64(max(0, seconds)) * 1000 + UInt64(max(0, attoseconds) / 1_000_000_000_000_000))
    }

    /// Samples the current bucket at start, then at each bucket start until shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let events = try await sample()
                logger.debug("registry storage sampled", metadata: ["projects": "\(events.count)"])
            } catch {
                logger.warning("registry storage sample failed", metadata: ["error": "\(error)"])
            }
            let time = now().millisecondsSinceEpoch
            let next = time - time % intervalMs + intervalMs
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int64(next - time))) }
        }
    }

    /// Samples the bucket holding the current time.
    /// - Returns: The events it recorded (or found recorded identically).
    @discardableResult
    public func sample() async throws -> [UsageEvent] {
        let time = now().millisecondsSinceEpoch
        let bucket = time - time % intervalMs
        let seconds = Int64(intervalMs / 1000)
        let system = Caller(principalId: "platformd", principalName: "platformd", principalKind: "system", keyId: "", tenantId: nil,
                            projectId: nil, scopes: [], expiresAt: "")
        var recorded: [UsageEvent] = []
        for (project, bytes) in try await storedBytesByProject() where bytes > 0 {
            let tenant: String
            do {
                tenant = try await registry.identity.project(project, visibleTo: system).tenantId
            } catch let error as PlatformError where error.code == .iamNotFound {
                continue  // a project deleted since: nothing to charge
            }
            let (quantity, overflow) = bytes.multipliedReportingOverflow(by: seconds)
            guard !overflow else { throw PlatformError(.usageBatchInvalid, "project \(project) holds too many bytes to meter") }
            let event = UsageEvent(source: Self.source, id: "storage/\(project)/\(bucket)", unit: Self.unit, unitVersion: unitVersion,
                                   quantity: quantity, tenant: tenant, project: ProjectID(project), product: Self.source,
                                   occurredAt: Timestamp(millisecondsSinceEpoch: bucket))
            do {
                try await usage.record(event)
                recorded.append(event)
            } catch let error as PlatformError where error.code == .usageEventConflict {
                continue  // sampled earlier in this bucket (before a restart), with other bytes
            }
        }
        return recorded
    }

    /// Every project's stored bytes in one grouped read: blob links plus manifests, each
    /// counted in every repository that holds it (``OCIRegistry/storedBytes(project:)``).
    func storedBytesByProject() async throws -> [(String, Int64)] {
        try await registry.store.read { db in
            try await db.raw("""
                SELECT r.project_id AS project, CAST(SUM(x.size) AS BIGINT) AS bytes
                FROM (SELECT repository, size FROM artifacts_blob_links UNION ALL SELECT repository, size FROM artifacts_manifests) x
                JOIN artifacts_repositories r ON r.name = x.repository
                GROUP BY r.project_id ORDER BY r.project_id
                """).all().map { (try $0.decode(column: "project", as: String.self), try $0.decode(column: "bytes", as: Int64.self)) }
        }
    }
}

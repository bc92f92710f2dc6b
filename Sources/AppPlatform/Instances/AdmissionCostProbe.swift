import PlatformContracts
import PlatformStore
import RuntimeKit
import SQLKit

/// The quota part of admission, timed for `PlatformBenchmarks quota` (package access only):
/// the same instance insert, once through ``InstanceRepository/admit(_:message:audit:check:)``
/// (the project's admission lock, the holdings count over its live rows, the limit check) and
/// once as a plain insert (``InstanceRepository/appendEvent(_:message:at:audit:creating:)``).
/// The difference is what durable quota counting costs each admission. It measures, asserts
/// nothing, and writes only into the store it is given.
package enum AdmissionCostProbe {
    /// Per-admission wall times, in milliseconds.
    package struct Figures: Sendable {
        /// Lock, count, check and insert.
        package var checked: [Double] = []
        /// The insert alone.
        package var unchecked: [Double] = []
    }

    /// Inserts `live` non-terminal instances of one project, then alternates `iterations`
    /// checked and unchecked inserts of one more (each ended right after, outside the timing,
    /// so the project keeps `live` instances throughout).
    package static func run(store: SQLStore, live: Int, iterations: Int) async throws -> Figures {
        let repository = InstanceRepository(store: store, audit: NoAudit())
        let project = "01JBENCHPR0JECT00000000000"
        let limits = AdmissionLimits(quotaSnapshot(limit: Int64(live + 1)), project: Project(id: project, tenantId: "T", name: "bench",
                                                                                                createdAt: "2027-01-01T00:00:00.000Z"))
        for _ in 0..<live { try await repository.appendEvent(row(project: project), message: nil, at: "t", creating: true) }
        var figures = Figures()
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            var checked = row(project: project)
            let start = clock.now
            try await repository.admit(checked, message: nil, audit: AuditEvent(actor: PrincipalID("bench"), action: "bench", target: "t",
                                                                                outcome: .success)) { held, _ in
                try limits.check(adding: GPURequest(model: nil, count: 1), to: held, project: project)
            }
            figures.checked.append(milliseconds(clock.now - start))
            var unchecked = row(project: project)
            let plain = clock.now
            try await repository.appendEvent(unchecked, message: nil, at: "t", creating: true)
            figures.unchecked.append(milliseconds(clock.now - plain))
            for index in [0, 1] {
                var ended = index == 0 ? checked : unchecked
                ended.phase = .stopped
                try await repository.save(ended)
                if index == 0 { checked = ended } else { unchecked = ended }
            }
        }
        return figures
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    private static func row(project: String) -> InstanceRow {
        let id = ULID().description
        let image = LaunchSpec.Image(repository: "bench/app", manifestDigest: ContentDigest(sha256Bytes: [UInt8](repeating: 7, count: 32)))
        var spec = LaunchSpec(instanceId: id, project: project, app: "app", version: "1", mode: .service, image: image, command: ["run"])
        spec.gpus = GPURequest(model: "h100", count: 1)
        return InstanceRow(id: id, projectId: project, tenantId: "T", app: "app", version: "1", adapter: "bench", environment: "development",
                           mode: .service, image: "bench/app@\(image.manifestDigest)", spec: spec, readiness: nil, gpuCount: 1,
                           endpoints: [:], launchedBy: "bench", now: Timestamp.now().rfc3339)
    }

    private static func quotaSnapshot(limit: Int64) -> PolicySnapshot {
        let definitions = [
            "quota.concurrent_instances": PolicyDefinition(policyKey: "quota.concurrent_instances", scope: .project, type: .integer,
                                                           default: .integer(limit), description: "bench"),
            "quota.gpus": PolicyDefinition(policyKey: "quota.gpus", scope: .project, type: .integer, default: .integer(limit), description: "bench"),
        ]
        return PolicySnapshot(id: "bench", version: 1, createdAt: .now(), definitions: definitions, plans: [:], defaultPlan: "none")
    }

    /// The audit the probe's inserts append to: nothing (the audit log is not what is measured).
    private struct NoAudit: TransactionalAuditing {
        func append(_ event: AuditEvent, tenant: String?, in db: any SQLDatabase) async throws -> AuditRecord {
            AuditRecord(sequence: 0, id: "", time: "", tenant: tenant, project: event.project, actor: event.actor.rawValue,
                        action: event.action, target: event.target, outcome: event.outcome, requestId: nil, details: [:])
        }
    }
}

import PlatformContracts

/// The status service's readiness engine: runs every registered ``HealthCheck``
/// concurrently, each under a deadline, and folds the results into one
/// `application/health+json` report whose status is the worst of its checks.
///
/// ```swift
/// let health = HealthAggregator(checks: [databaseCheck, blobCheck], version: "0.1.0")
/// let report = await health.readiness()   // .fail ⇒ the HTTP edge answers 503
/// ```
public struct HealthAggregator: HealthReporting {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "status",
        kind: .sharedService,
        contract: "HealthCheck",
        summary: "liveness and readiness (application/health+json) from the database and blob-store checks, each under a deadline."
    )

    private let checks: [any HealthCheck]
    private let version: String
    private let serviceID: @Sendable () async -> String?
    private let deadline: Duration

    /// Creates an aggregator.
    /// - Parameters:
    ///   - checks: The checks, keyed `component:measurement`.
    ///   - version: The service version reported in the document.
    ///   - deadline: How long one check may take before it counts as failed.
    ///   - serviceID: Identifies this installation in the document.
    public init(
        checks: [any HealthCheck],
        version: String,
        deadline: Duration = .seconds(3),
        serviceID: @escaping @Sendable () async -> String? = { nil }
    ) {
        self.checks = checks
        self.version = version
        self.deadline = deadline
        self.serviceID = serviceID
    }

    /// Liveness: the process answers; no dependency is consulted.
    public func liveness() -> HealthReport {
        HealthReport(status: .pass, version: version, description: "platformd is alive")
    }

    /// Readiness: every check, run concurrently under the deadline.
    public func readiness() async -> HealthReport {
        let deadline = self.deadline
        let results = await withTaskGroup(of: (String, HealthCheckResult).self) { group in
            for check in checks {
                group.addTask { (check.key, await Self.run(check, deadline: deadline)) }
            }
            var results: [String: [HealthCheckResult]] = [:]
            for await (key, result) in group {
                results[key, default: []].append(result)
            }
            return results
        }
        let status = results.values.joined().map(\.status).max() ?? .pass
        return HealthReport(
            status: status,
            version: version,
            serviceId: await serviceID(),
            description: status == .fail ? "platformd is not ready" : "platformd is ready",
            checks: results
        )
    }

    /// Races the check against the deadline without waiting for a check that ignores
    /// cancellation: a hung database driver must not hang `/readyz`.
    private static func run(_ check: any HealthCheck, deadline: Duration) async -> HealthCheckResult {
        let gate = FirstResult<HealthCheckResult>()
        return await withCheckedContinuation { continuation in
            gate.arm(continuation)
            let work = Task { gate.offer(await check.check()) }
            Task {
                try? await Task.sleep(for: deadline)
                gate.offer(HealthCheckResult(status: .fail, time: .now(), output: "check did not answer within \(deadline)"))
                work.cancel()
            }
        }
    }
}

/// The status vocabulary of `application/health+json`.
public enum HealthStatus: String, Sendable, Codable, Comparable, CaseIterable {
    /// Healthy.
    case pass
    /// Healthy with concerns.
    case warn
    /// Unhealthy; readiness answers 503.
    case fail

    private var severity: Int {
        switch self {
        case .pass: 0
        case .warn: 1
        case .fail: 2
        }
    }

    /// Orders by severity, so `max()` of several statuses is the overall one.
    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.severity < rhs.severity }
}

/// One measurement of one component, an entry of `checks` in `application/health+json`.
public struct HealthCheckResult: Sendable, Codable, Equatable {
    /// Kind of component, e.g. `datastore`, `system`.
    public var componentType: String?
    /// The measured value, e.g. a latency in milliseconds.
    public var observedValue: Int64?
    /// Unit of ``observedValue``, e.g. `ms`.
    public var observedUnit: String?
    /// This check's status.
    public var status: HealthStatus
    /// When it was measured (RFC 3339).
    public var time: String?
    /// Why the check warns or fails, in words.
    public var output: String?

    /// Creates a result.
    public init(
        status: HealthStatus,
        componentType: String? = nil,
        observedValue: Int64? = nil,
        observedUnit: String? = nil,
        time: Timestamp? = nil,
        output: String? = nil
    ) {
        self.status = status
        self.componentType = componentType
        self.observedValue = observedValue
        self.observedUnit = observedUnit
        self.time = time?.rfc3339
        self.output = output
    }
}

/// A health check a module contributes to `/readyz`, keyed `component:measurement`.
///
/// ```swift
/// struct DiskCheck: HealthCheck {
///     let key = "blobstore:writable"
///     func check() async -> HealthCheckResult { .init(status: .pass) }
/// }
/// ```
public protocol HealthCheck: Sendable {
    /// The `component:measurement` key, e.g. `database:responseTime`.
    var key: String { get }
    /// Runs the check; must not throw: failures are a `fail` result with an `output`.
    func check() async -> HealthCheckResult
}

/// A whole `application/health+json` document.
public struct HealthReport: Sendable, Codable, Equatable {
    /// The overall status: the worst of the checks.
    public var status: HealthStatus
    /// The service's version.
    public var version: String?
    /// Identifies the service instance (installation id).
    public var serviceId: String?
    /// A short description.
    public var description: String?
    /// Results keyed `component:measurement`.
    public var checks: [String: [HealthCheckResult]]

    /// Creates a report.
    public init(
        status: HealthStatus,
        version: String? = nil,
        serviceId: String? = nil,
        description: String? = nil,
        checks: [String: [HealthCheckResult]] = [:]
    ) {
        self.status = status
        self.version = version
        self.serviceId = serviceId
        self.description = description
        self.checks = checks
    }

    /// The media type of this document.
    public static let mediaType = "application/health+json"
}

/// Produces the liveness and readiness documents (implemented by the status service).
public protocol HealthReporting: Sendable {
    /// Liveness: the process answers; no dependency is consulted.
    func liveness() async -> HealthReport
    /// Readiness: every registered check.
    func readiness() async -> HealthReport
}

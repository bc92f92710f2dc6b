/// The customer-safe status (`GET /status`, no authentication): components by name and
/// condition, open and recent incidents, and upcoming maintenance — no checks, versions,
/// authors or internal ids beyond the component ids.
public struct PublicStatus: Sendable, Codable, Equatable {
    /// The worst component condition.
    public var overall: ComponentCondition
    public var components: [ComponentStatus]
    /// Open incidents and those resolved in the last 7 days, newest first.
    public var incidents: [Incident]
    /// Active and upcoming windows.
    public var maintenance: [MaintenanceWindow]
    public var generatedAt: String
    public init(overall: ComponentCondition, components: [ComponentStatus], incidents: [Incident], maintenance: [MaintenanceWindow],
                generatedAt: String) {
        self.overall = overall
        self.components = components
        self.incidents = incidents
        self.maintenance = maintenance
        self.generatedAt = generatedAt
    }
}

/// The releases of one environment and their latest gate decisions.
public struct EnvironmentReadiness: Sendable, Codable, Equatable {
    public var environment: String
    /// Newest first.
    public var releases: [ReleaseReadiness]
    public init(environment: String, releases: [ReleaseReadiness]) {
        self.environment = environment
        self.releases = releases
    }
}

/// A release on the readiness view.
public struct ReleaseReadiness: Sendable, Codable, Equatable {
    public var releaseId: String
    public var projectId: String
    public var state: ReleaseState
    public var sourceSha: String
    /// `PASSED`, `FAILED`, or `nil` before any decision.
    public var verificationResult: String?
    public var decidedAt: String?
    /// Gates that did not pass at the last decision.
    public var failingGates: [ReleaseGate]
    public init(releaseId: String, projectId: String, state: ReleaseState, sourceSha: String, verificationResult: String?,
                decidedAt: String?, failingGates: [ReleaseGate]) {
        self.releaseId = releaseId
        self.projectId = projectId
        self.state = state
        self.sourceSha = sourceSha
        self.verificationResult = verificationResult
        self.decidedAt = decidedAt
        self.failingGates = failingGates
    }
}

/// The operator view (`GET /v1/status`): everything the public one has plus the checks behind
/// each component, versions, cancelled windows and release readiness per environment.
public struct OperatorStatus: Sendable, Codable, Equatable {
    public var overall: ComponentCondition
    /// With `checks` and `version`.
    public var components: [ComponentStatus]
    public var incidents: [Incident]
    public var maintenance: [MaintenanceWindow]
    /// The server's version and build.
    public var version: String
    public var readiness: [EnvironmentReadiness]
    public var generatedAt: String
    public init(overall: ComponentCondition, components: [ComponentStatus], incidents: [Incident], maintenance: [MaintenanceWindow],
                version: String, readiness: [EnvironmentReadiness], generatedAt: String) {
        self.overall = overall
        self.components = components
        self.incidents = incidents
        self.maintenance = maintenance
        self.version = version
        self.readiness = readiness
        self.generatedAt = generatedAt
    }
}

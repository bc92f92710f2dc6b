import PlatformContracts

/// A component the status board tracks, declared by the composition root: every module of
/// the module catalog, each runtime adapter, and the dependencies (database, blob store,
/// Slurm when configured). Its health comes from the readiness checks whose key starts with
/// one of ``checkPrefixes`` (`database:` feeds `database`); one with none is operational
/// unless an incident or a maintenance window says otherwise.
public struct MonitoredComponent: Sendable, Equatable {
    /// Stable id: `database`, `blob-store`, `slurm`, `adapter:<name>`, `module:<name>`.
    public var id: String
    public var kind: ComponentKind
    /// The name customers read on `/status`.
    public var name: String
    /// The component's version (operator view only).
    public var version: String?
    /// Health-check key prefixes that feed it (`database:`, `blobstore:`).
    public var checkPrefixes: [String]

    /// Declares a component.
    public init(id: String, kind: ComponentKind, name: String, version: String? = nil, checkPrefixes: [String] = []) {
        self.id = id
        self.kind = kind
        self.name = name
        self.version = version
        self.checkPrefixes = checkPrefixes
    }

    /// Whether a readiness check with this key feeds the component.
    public func isFed(by key: String) -> Bool { checkPrefixes.contains { key.hasPrefix($0) } }
}

/// What one monitor pass saw of one component: its health condition and the checks behind it.
public struct ComponentObservation: Sendable, Equatable {
    public var component: String
    /// From the checks alone: pass → operational, warn → degraded, fail → outage.
    public var health: ComponentCondition
    /// `key: status output` of each check behind it (operator view).
    public var checks: [String]

    /// Creates an observation.
    public init(component: String, health: ComponentCondition, checks: [String] = []) {
        self.component = component
        self.health = health
        self.checks = checks
    }

    /// The observation of `component` in a readiness report: the worst of its checks.
    public static func from(_ report: HealthReport, for component: MonitoredComponent) -> ComponentObservation {
        var worst = HealthStatus.pass
        var lines: [String] = []
        for (key, results) in report.checks.sorted(by: { $0.key < $1.key }) where component.isFed(by: key) {
            for result in results {
                worst = max(worst, result.status)
                lines.append("\(key): \(result.status.rawValue)\(result.output.map { " \($0)" } ?? "")")
            }
        }
        let health: ComponentCondition = switch worst {
        case .pass: .operational
        case .warn: .degraded
        case .fail: .outage
        }
        return ComponentObservation(component: component.id, health: health, checks: lines)
    }
}

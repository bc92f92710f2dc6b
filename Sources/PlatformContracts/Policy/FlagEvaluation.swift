/// Why a flag has its value, in OpenFeature's evaluation vocabulary.
public enum FlagReason: String, Sendable, Codable, CaseIterable {
    /// The registry default: nothing targets this project.
    case `default` = "DEFAULT"
    /// The plan sets it: the same for every project on the plan.
    case `static` = "STATIC"
    /// A tenant, department or project override matched.
    case targetingMatch = "TARGETING_MATCH"
    /// The flag is retired: it evaluates to its default.
    case disabled = "DISABLED"
    /// The evaluation used a snapshot older than the freshness budget (reads only).
    case stale = "STALE"
}

/// One flag evaluated for one project, shaped as OpenFeature's evaluation details: flag key,
/// value, variant (`on`/`off`), reason, and the targeting rule that matched.
public struct FlagEvaluation: Sendable, Codable, Hashable {
    /// The flag key (`connect.ssh`).
    public var flagKey: String
    /// The evaluated value.
    public var value: Bool
    /// `on` or `off`.
    public var variant: String
    /// Why.
    public var reason: FlagReason
    /// The level and target that decided it (`project/01J…`, `plan.research`, `policies.yaml`).
    public var targeting: String
    /// The snapshot evaluated.
    public var snapshot: String

    /// Creates an evaluation.
    public init(flagKey: String, value: Bool, reason: FlagReason, targeting: String, snapshot: String) {
        self.flagKey = flagKey
        self.value = value
        self.variant = value ? "on" : "off"
        self.reason = reason
        self.targeting = targeting
        self.snapshot = snapshot
    }
}

extension PolicySnapshot {
    /// Evaluates a flag for a project (OpenFeature vocabulary).
    /// - Throws: ``ErrorCode/policyKeyUnknown`` when `key` is not a flag in the registry.
    public func evaluateFlag(_ key: String, project: String, tenant: String) throws(PlatformError) -> FlagEvaluation {
        let resolved = try resolve(key, project: project, tenant: tenant)
        guard case .flag(let value) = resolved.value else {
            throw PlatformError(.policyKeyUnknown, "\(key) is a \(resolved.definition.type.rawValue) policy, not a flag", details: ["key": key])
        }
        let reason: FlagReason = switch (resolved.definition.lifecycle, resolved.source.level) {
        case (.retired, _): .disabled
        case (_, .registryDefault): .default
        case (_, .plan): .static
        default: .targetingMatch
        }
        return FlagEvaluation(flagKey: key, value: value, reason: reason, targeting: resolved.source.name, snapshot: id)
    }

    /// Every flag evaluated for a project.
    public func evaluateFlags(project: String, tenant: String) -> [FlagEvaluation] {
        definitions.values.filter { $0.type == .flag }.map(\.policyKey).sorted()
            .compactMap { try? evaluateFlag($0, project: project, tenant: tenant) }
    }

    /// Refuses unless the flag is on for the project.
    /// - Throws: ``ErrorCode/policyFeatureDisabled`` naming the flag and why.
    public func require(flag key: String, project: String, tenant: String, for action: String) throws(PlatformError) {
        let evaluation = try evaluateFlag(key, project: project, tenant: tenant)
        guard evaluation.value else {
            throw PlatformError(.policyFeatureDisabled,
                                "\(action) needs the \(key) flag, which is off for this project (\(evaluation.reason.rawValue) from \(evaluation.targeting))",
                                details: ["flag": key, "reason": evaluation.reason.rawValue, "policy_snapshot": id])
        }
    }
}

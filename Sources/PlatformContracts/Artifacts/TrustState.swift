/// An artifact's place on the trust ladder; each move is a recorded policy decision.
public enum TrustState: String, Sendable, Codable, CaseIterable {
    /// Pushed; nothing verified.
    case registered
    /// A signature verified against a trusted key.
    case verified
    /// Promoted to staging with the gate's evidence.
    case promotedStaging = "promoted:staging"
    /// Promoted to production with the gate's evidence.
    case promotedProduction = "promoted:production"
    /// Held back pending investigation.
    case quarantined
    /// Never to be launched again.
    case revoked

    /// The rank on the main ladder; side states rank below `registered`.
    public var rank: Int {
        switch self {
        case .quarantined, .revoked: -1
        case .registered: 0
        case .verified: 1
        case .promotedStaging: 2
        case .promotedProduction: 3
        }
    }

    /// Whether an artifact in this state satisfies a requirement of `required`.
    public func satisfies(_ required: TrustState) -> Bool {
        rank >= 0 && rank >= required.rank
    }
}

extension TrustState {
    /// The main ladder, lowest first.
    public static let ladder: [TrustState] = [.registered, .verified, .promotedStaging, .promotedProduction]

    /// The state an artifact recorded as `recorded` holds now: each rung above `registered`
    /// counts only while its gate passes (`gatePasses` answers `nil` when the type has no gate
    /// for that rung, which passes) and every rung below it does. Side states stay as they are.
    ///
    /// Trust is a fact about keys and evidence *now*: revoking the only signing key must stop
    /// the next launch, not wait for someone to demote the artifact by hand.
    public static func effective(recorded: TrustState, gatePasses: (TrustState) -> Bool?) -> TrustState {
        guard let top = ladder.firstIndex(of: recorded) else { return recorded }
        var reached = TrustState.registered
        for rung in ladder[1..<(top + 1)] {
            guard gatePasses(rung) ?? true else { break }
            reached = rung
        }
        return reached
    }
}

/// The reach of a key, from narrowest to widest: who may undo a hold depends on it.
public enum CallerReach: String, Sendable, Codable, Comparable {
    /// Bound to one project.
    case project
    /// Bound to a tenant.
    case tenant
    /// Platform-wide (platform control).
    case platform

    /// The reach of `caller`'s key.
    public init(of caller: Caller) {
        self = caller.tenantId == nil ? .platform : caller.projectId == nil ? .tenant : .project
    }

    var width: Int {
        switch self {
        case .project: 0
        case .tenant: 1
        case .platform: 2
        }
    }

    public static func < (lhs: CallerReach, rhs: CallerReach) -> Bool { lhs.width < rhs.width }
}

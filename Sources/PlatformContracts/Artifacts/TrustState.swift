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

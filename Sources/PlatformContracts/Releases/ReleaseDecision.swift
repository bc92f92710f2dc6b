/// One gate's verdict over the bundle.
public struct ReleaseGateResult: Sendable, Codable, Equatable {
    public var gate: ReleaseGate
    public var passed: Bool
    /// What is missing or failing, one line each (empty when passed).
    public var missing: [String]
    /// Digests of the envelopes the gate read.
    public var inputs: [String]
    public init(gate: ReleaseGate, passed: Bool, missing: [String], inputs: [String]) {
        self.gate = gate
        self.passed = passed
        self.missing = missing
        self.inputs = inputs
    }
}

/// The result of evaluating the six gates; when recorded, a signed decision in the shape of a
/// SLSA Verification Summary Attestation (`https://slsa.dev/verification_summary/v1`).
public struct ReleaseDecision: Sendable, Codable, Equatable {
    /// ULID (absent on an evaluation that was not recorded).
    public var id: String?
    public var releaseId: String
    public var environment: String
    /// `PASSED` or `FAILED`, as a VSA says.
    public var verificationResult: String
    public var gates: [ReleaseGateResult]
    /// The bundle fields required under the policy snapshot for this environment (open decision 2).
    public var requiredFields: [ReleaseField]
    /// Every input envelope digest, sorted.
    public var inputDigests: [String]
    /// The policy snapshot the decision was made under.
    public var policySnapshot: String
    public var decidedAt: String
    /// Who asked for it.
    public var decidedBy: String
    /// `sha256:…` of the platform-signed VSA envelope (recorded decisions only).
    public var envelope: String?

    /// Whether every gate passed.
    public var passed: Bool { verificationResult == "PASSED" }

    public init(id: String?, releaseId: String, environment: String, verificationResult: String, gates: [ReleaseGateResult],
                requiredFields: [ReleaseField], inputDigests: [String], policySnapshot: String, decidedAt: String,
                decidedBy: String, envelope: String?) {
        self.id = id
        self.releaseId = releaseId
        self.environment = environment
        self.verificationResult = verificationResult
        self.gates = gates
        self.requiredFields = requiredFields
        self.inputDigests = inputDigests
        self.policySnapshot = policySnapshot
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.envelope = envelope
    }
}

/// One signature or piece of signed evidence attached to an artifact, as verified now
/// against the project's keys (a key revoked since makes it invalid).
public struct AttestationReport: Sendable, Codable, Equatable {
    /// `dsse` (in-toto statement in a DSSE envelope) or `cosign` (simple signing).
    public var kind: String
    /// The referrer manifest (or cosign signature manifest) that carries it.
    public var referrer: String
    /// The repository it was pushed to.
    public var repository: String
    /// The key that signed it, when one was identified.
    public var keyId: String?
    /// That key's name.
    public var keyName: String?
    /// That key's status now.
    public var keyStatus: SigningKeyStatus?
    /// Who registered the key (the signer's principal).
    public var signer: String?
    /// Whether it counts.
    public var valid: Bool
    /// Why not, as a stable code.
    public var code: ErrorCode?
    /// Why not, in words.
    public var reason: String?
    /// The in-toto predicate type (DSSE only).
    public var predicateType: String?
    /// The evidence type it satisfies, if any.
    public var evidenceType: String?
    /// Source repository and commit, from SLSA provenance.
    public var source: SourceProvenance?

    /// Creates a value.
    public init(kind: String, referrer: String, repository: String, keyId: String? = nil, keyName: String? = nil,
                keyStatus: SigningKeyStatus? = nil, signer: String? = nil, valid: Bool, code: ErrorCode? = nil,
                reason: String? = nil, predicateType: String? = nil, evidenceType: String? = nil,
                source: SourceProvenance? = nil) {
        self.kind = kind
        self.referrer = referrer
        self.repository = repository
        self.keyId = keyId
        self.keyName = keyName
        self.keyStatus = keyStatus
        self.signer = signer
        self.valid = valid
        self.code = code
        self.reason = reason
        self.predicateType = predicateType
        self.evidenceType = evidenceType
        self.source = source
    }
}

/// Where an artifact was built from.
public struct SourceProvenance: Sendable, Codable, Equatable {
    /// The source repository URL.
    public var repository: String
    /// The commit.
    public var commit: String

    /// Creates a value.
    public init(repository: String, commit: String) {
        self.repository = repository
        self.commit = commit
    }
}

/// A promotion gate evaluated for an artifact.
public struct GateReport: Sendable, Codable, Equatable {
    /// The target state.
    public var to: TrustState
    /// Whether the artifact may move there now (ignoring the order of states).
    public var satisfied: Bool
    /// What is missing, one line each.
    public var missing: [String]

    /// Creates a value.
    public init(to: TrustState, satisfied: Bool, missing: [String]) {
        self.to = to
        self.satisfied = satisfied
        self.missing = missing
    }
}

/// Everything platform control asks about one digest: state, signatures, provenance, evidence.
public struct ArtifactStatus: Sendable, Codable, Equatable {
    /// The artifact's digest.
    public var digest: String
    /// The project.
    public var projectId: String
    /// Repositories of the project that hold it.
    public var repositories: [String]
    /// Tags pointing at it.
    public var tags: [String]
    /// Its artifact type (artifact-type registry id), empty when none matched.
    public var typeId: String
    /// The trust state as recorded by the last transition.
    public var state: TrustState
    /// The state the artifact holds *now*: the recorded state, lowered to the highest rung
    /// whose gates (and those below it) still pass against today's keys and evidence. A
    /// revoked signing key lowers it at once; admission and pulls read this, never `state`.
    public var effectiveState: TrustState
    /// Who put it in a side state (`quarantined`, `revoked`): `platform`, `tenant` or
    /// `project`, the reach of the key that did it; only that reach or a wider one may
    /// release it.
    public var heldBy: String?
    /// When the state last changed.
    public var updatedAt: String
    /// Signatures (DSSE of any predicate, cosign).
    public var signatures: [AttestationReport]
    /// Signed evidence by type.
    public var evidence: [AttestationReport]
    /// Source repository and commit, from a valid SLSA provenance.
    public var provenance: SourceProvenance?
    /// The gates towards the next states.
    public var gates: [GateReport]

    /// Creates a value.
    public init(digest: String, projectId: String, repositories: [String], tags: [String], typeId: String, state: TrustState,
                updatedAt: String, signatures: [AttestationReport], evidence: [AttestationReport],
                provenance: SourceProvenance? = nil, gates: [GateReport], effectiveState: TrustState? = nil, heldBy: String? = nil) {
        self.digest = digest
        self.projectId = projectId
        self.repositories = repositories
        self.tags = tags
        self.typeId = typeId
        self.state = state
        self.updatedAt = updatedAt
        self.signatures = signatures
        self.evidence = evidence
        self.provenance = provenance
        self.gates = gates
        self.effectiveState = effectiveState ?? state
        self.heldBy = heldBy
    }
}

/// One artifact in a project listing.
public struct ArtifactSummary: Sendable, Codable, Equatable {
    /// Its digest.
    public var digest: String
    /// The repository it was first pushed to.
    public var repository: String
    /// Its artifact type id.
    public var typeId: String
    /// Its trust state.
    public var state: TrustState
    /// When the state last changed.
    public var updatedAt: String

    /// Creates a value.
    public init(digest: String, repository: String, typeId: String, state: TrustState, updatedAt: String) {
        self.digest = digest
        self.repository = repository
        self.typeId = typeId
        self.state = state
        self.updatedAt = updatedAt
    }
}

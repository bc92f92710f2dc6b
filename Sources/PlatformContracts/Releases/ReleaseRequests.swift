/// `POST /v1/projects/{project}/releases`.
public struct ReleaseRequest: Sendable, Codable, Equatable {
    /// `staging` or `production`.
    public var environment: String
    /// `sha256:…` digests of artifacts of the project.
    public var artifacts: [String]
    /// 40 lowercase hex.
    public var sourceSha: String
    public var branch: String
    public init(environment: String, artifacts: [String], sourceSha: String, branch: String) {
        self.environment = environment
        self.artifacts = artifacts
        self.sourceSha = sourceSha
        self.branch = branch
    }
}

/// `POST …/releases/{release}/evidence`: a DSSE envelope (JSON, as text) over an in-toto
/// statement whose subjects cover the release's artifacts, signed by a key the project trusts.
public struct ReleaseEvidenceRequest: Sendable, Codable, Equatable {
    /// An evidence-type id that may be attached by hand.
    public var type: String
    /// The envelope's JSON.
    public var envelope: String
    public init(type: String, envelope: String) {
        self.type = type
        self.envelope = envelope
    }
}

/// What the platform makes and signs itself on request.
public enum PlatformEvidenceKind: String, Sendable, Codable, CaseIterable {
    /// Checks a submitted `appctl contract check --json` report against the API documents this
    /// server derives from its own endpoints.
    case contractDrift = "contract-drift"
    /// The running server's schema migrations against the versions this build expects.
    case migrationStatus = "migration-status"
    /// GPUs free in the inventory against the policy's reserve.
    case capacityPosture = "capacity-posture"
}

/// `POST …/releases/{release}/evidence/platform`.
public struct PlatformEvidenceRequest: Sendable, Codable, Equatable {
    public var kind: PlatformEvidenceKind
    /// The `appctl contract check --json` report (`contract-drift` only).
    public var report: String?
    public init(kind: PlatformEvidenceKind, report: String? = nil) {
        self.kind = kind
        self.report = report
    }
}

/// `POST …/releases/{release}/smoke`: launch the release's app in staging, time it to ready,
/// stop it, and attach the platform-signed `deploy-smoke` evidence.
public struct ReleaseSmokeRequest: Sendable, Codable, Equatable {
    /// A registered app of the project whose image is one of the release's artifacts.
    public var app: String
    public var version: String?
    public init(app: String, version: String? = nil) {
        self.app = app
        self.version = version
    }
}

/// `POST …/releases/{release}/approve`.
public struct ReleaseApprovalRequest: Sendable, Codable, Equatable {
    public var role: ReleaseApprovalRole
    public var comment: String
    public init(role: ReleaseApprovalRole = .reviewer, comment: String) {
        self.role = role
        self.comment = comment
    }
}

/// `GET /v1/releases/platform-key`: the key platform-made evidence and decisions are signed with.
public struct PlatformEvidenceKey: Sendable, Codable, Equatable {
    /// `sha256:<hex of the DER SubjectPublicKeyInfo>`, the keyid in its DSSE signatures.
    public var keyId: String
    /// PEM `PUBLIC KEY` (ECDSA P-256).
    public var publicKeyPEM: String
    public init(keyId: String, publicKeyPEM: String) {
        self.keyId = keyId
        self.publicKeyPEM = publicKeyPEM
    }
}

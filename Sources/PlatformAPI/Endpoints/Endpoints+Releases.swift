import HTTPTypes
import PlatformContracts

/// Release candidates and their evidence bundles. Creating releases and attaching evidence is
/// the project's (`release:write`); approving needs `release:approve` (a principal other than
/// the release's creator, signers and attachers); promoting needs `release:promote`, which
/// only platform control holds — project roles never promote to production.
extension Endpoints {
    /// A release of a project.
    public typealias ReleaseItem = ProjectItemPath<ProjectItems.Release>

    public static let createRelease = Endpoint<ProjectPath, NoQuery, ReleaseRequest, Release>(
        .createRelease, in: .releases, .post, "/v1/projects/\(.project)/releases", scope: "release:write",
        summary: "Create a release candidate (environment, artifact digests, source SHA, branch); the platform signs its identity and migration status.",
        status: .created)
    public static let listReleases = Endpoint<ProjectPath, NoQuery, NoBody, [Release]>(
        .listReleases, in: .releases, .get, "/v1/projects/\(.project)/releases", scope: "release:read",
        summary: "The project's releases, newest first.")
    public static let getRelease = Endpoint<ReleaseItem, NoQuery, NoBody, Release>(
        .getRelease, in: .releases, .get, "/v1/projects/\(.project)/releases/\(.release)", scope: "release:read",
        summary: "A release with its evidence bundle (the fifteen fields and the statements carrying them), approvals and latest decision.")
    public static let addReleaseEvidence = Endpoint<ReleaseItem, NoQuery, ReleaseEvidenceRequest, ReleaseEvidence>(
        .addReleaseEvidence, in: .releases, .post, "/v1/projects/\(.project)/releases/\(.release)/evidence", scope: "release:write",
        summary: "Attach a DSSE-signed in-toto statement; its signature, subjects and predicate schema are checked (forged or invalid: refused).",
        status: .created)
    public static let addPlatformEvidence = Endpoint<ReleaseItem, NoQuery, PlatformEvidenceRequest, ReleaseEvidence>(
        .addPlatformEvidence, in: .releases, .post, "/v1/projects/\(.project)/releases/\(.release)/evidence/platform",
        scope: "release:write",
        summary: "Have the platform make and sign evidence: contract drift (checked against this server's documents), migration status, capacity posture.",
        status: .created)
    public static let smokeRelease = Endpoint<ReleaseItem, NoQuery, ReleaseSmokeRequest, ReleaseEvidence>(
        .smokeRelease, in: .releases, .post, "/v1/projects/\(.project)/releases/\(.release)/smoke", scope: "release:write",
        summary: "Launch the release's app in staging, measure time to ready, stop it, and attach the platform-signed deploy-smoke evidence.",
        status: .created)
    public static let approveRelease = Endpoint<ReleaseItem, NoQuery, ReleaseApprovalRequest, Release>(
        .approveRelease, in: .releases, .post, "/v1/projects/\(.project)/releases/\(.release)/approve", scope: "release:approve",
        summary: "Approve a release; refused (release.self_approval) for its creator and anyone who signed or attached its evidence.")
    public static let getReleaseGates = Endpoint<ReleaseItem, NoQuery, NoBody, ReleaseDecision>(
        .getReleaseGates, in: .releases, .get, "/v1/projects/\(.project)/releases/\(.release)/gates", scope: "release:read",
        summary: "Evaluate the six release gates now: per gate, whether it passes, what it misses and the inputs it read.")
    public static let promoteRelease = Endpoint<ReleaseItem, NoQuery, NoBody, Release>(
        .promoteRelease, in: .releases, .post, "/v1/projects/\(.project)/releases/\(.release)/promote", scope: "release:promote",
        summary: "Record a signed gate decision and, when it passes, promote every artifact to the release's environment; 409 lists what each gate misses.")
    public static let getReleaseEnvelope = Endpoint<ReleaseEnvelopePath, NoQuery, NoBody, SignedEnvelope>(
        .getReleaseEnvelope, in: .releases, .get, "/v1/projects/\(.project)/releases/\(.release)/envelopes/\(.digest)", scope: "release:read",
        summary: "One of the release's DSSE envelopes (evidence, approval or decision) by digest, to verify offline with the signer's public key.")
    public static let getPlatformEvidenceKey = Endpoint<NoPath, NoQuery, NoBody, PlatformEvidenceKey>(
        .getPlatformEvidenceKey, in: .releases, .get, "/v1/releases/platform-key", scope: "release:read",
        summary: "The public key platform-made evidence and release decisions are signed with.")
}

/// `/v1/projects/{project}/releases/{release}/envelopes/{digest}`.
public struct ReleaseEnvelopePath: EndpointPath {
    public static let parameters: [PathParameter] = [.project, .release, .digest]
    public var project: String
    public var release: String
    /// `sha256:…`.
    public var digest: String
    public init(project: String, release: String, digest: String) {
        self.project = project
        self.release = release
        self.digest = digest
    }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) {
        project = try value(.project); release = try value(.release); digest = try value(.digest)
    }
    public func value(of parameter: PathParameter) -> String {
        switch parameter {
        case .project: project
        case .release: release
        default: digest
        }
    }
}

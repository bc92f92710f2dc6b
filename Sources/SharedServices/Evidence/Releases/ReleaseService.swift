import Foundation
import Logging
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit

/// Release candidates, their evidence bundles, approvals with separation of duties, the six
/// gates and the platform-signed decisions.
///
/// Every statement of a release is an in-toto statement in a DSSE envelope, stored as a blob
/// and named by its digest: hand-made ones are verified against the project's artifact-signing
/// keys, platform-made ones (the candidate itself, approvals, smoke, contract drift,
/// migrations, capacity) are signed with the platform's evidence key. Evidence counts only
/// while its signing key is still trusted, which the gates re-check at every evaluation.
public struct ReleaseService: ReleaseManagement, ReleaseDecisions {
    let store: SQLStore
    let blobs: any BlobStore
    let keys: any SigningKeyDirectory
    let identity: any Authorizer
    let audit: any TransactionalAuditing
    let validator: any EvidenceValidating
    let policy: any PolicyEvaluator
    /// The platform's evidence-signing key (platform-made statements and decisions).
    let platformSigner: SigningPrivateKey
    let logger: Logger
    /// Effective trust of the release's artifacts (the trust ledger, set by the composition
    /// after it is built). `nil` in tests that do not reach it: a release is created without
    /// the existence check and its environment-profile gate fails.
    public var artifactTrust: (any ArtifactTrustLookup)?

    /// The environments a release may target.
    static let environments = ["staging", "production"]

    /// Creates the service.
    public init(store: SQLStore, blobs: any BlobStore, keys: any SigningKeyDirectory, identity: any Authorizer,
                audit: any TransactionalAuditing, validator: any EvidenceValidating, policy: any PolicyEvaluator,
                platformSigner: SigningPrivateKey, logger: Logger) {
        self.store = store
        self.blobs = blobs
        self.keys = keys
        self.identity = identity
        self.audit = audit
        self.validator = validator
        self.policy = policy
        self.platformSigner = platformSigner
        self.logger = logger
    }

    public func create(_ request: ReleaseRequest, in project: Project, by caller: Caller, requestID: String?) async throws -> Release {
        let artifacts = try Self.checked(request)
        if let artifactTrust {
            // Throws artifacts.not_found for a digest that is not an artifact of the project.
            for artifact in artifacts { _ = try await artifactTrust.effectiveTrust(project: project, digest: artifact) }
        } else {
            logger.warning("release created without an artifact trust lookup: artifact existence not checked", metadata: ["project": "\(project.id)"])
        }
        let release = Release(
            id: ULID().description, projectId: project.id, tenantId: project.tenantId, environment: request.environment, artifacts: artifacts,
            sourceSha: request.sourceSha.lowercased(), branch: request.branch, state: .candidate, createdBy: caller.principalId,
            createdAt: Timestamp.now().rfc3339)
        let predicate = try ReleaseStatements.json([
            "release": release.id, "project": project.id, "environment": release.environment, "artifacts": artifacts,
            "sourceSha": release.sourceSha, "branch": release.branch, "createdBy": caller.principalId, "createdAt": release.createdAt,
        ])
        let candidate = try await platformStatement(type: "release-candidate", predicate: predicate, release: release, attachedBy: caller.principalId)
        try await store.transaction { db in
            try await ReleaseRows.insert(release, in: db)
            try await record(candidate, release: release, in: db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "release.create", target: Self.target(release), outcome: .success,
                           requestID: requestID,
                           details: ["environment": release.environment, "artifacts": artifacts.joined(separator: ","), "sourceSha": release.sourceSha,
                                     "branch": release.branch, "envelope": candidate.envelope],
                           project: project.id),
                tenant: project.tenantId, in: db)
        }
        return try await self.release(release.id, in: project)
    }

    public func releases(in project: Project) async throws -> [Release] {
        let releases = try await store.read { db in try await ReleaseRows.releases(project: project.id, in: db) }
        return try await assemble(releases, project: project.id)
    }

    public func release(_ id: String, in project: Project) async throws -> Release {
        // Release ids are ULIDs: `01hx…` and `01HX…` name one release.
        let id = ULID.canonical(id)?.description ?? id
        guard let release = try await store.read({ db in try await ReleaseRows.release(id, project: project.id, in: db) }) else {
            throw PlatformError(.releaseNotFound, "no release \(id) in project \(project.name)", details: ["release": id])
        }
        return try await assemble([release], project: project.id)[0]
    }

    public func platformKey() -> (keyId: String, publicKeyPEM: String) {
        (platformSigner.publicKey.keyID, platformSigner.publicKey.pem)
    }

    // MARK: Shared

    /// The request's artifacts, sorted and unique, once every field is valid.
    /// - Throws: `release.invalid` naming the field.
    static func checked(_ request: ReleaseRequest) throws(PlatformError) -> [String] {
        guard environments.contains(request.environment) else {
            throw PlatformError(.releaseInvalid, "environment \(request.environment) is not one of \(environments.joined(separator: ", "))",
                                details: ["field": "environment"])
        }
        let sha = request.sourceSha.lowercased()
        guard sha.utf8.count == 40, sha.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw PlatformError(.releaseInvalid, "sourceSha must be a 40-hex commit id, not \"\(request.sourceSha.prefix(60))\"",
                                details: ["field": "sourceSha"])
        }
        guard !request.branch.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw PlatformError(.releaseInvalid, "branch must not be empty", details: ["field": "branch"])
        }
        guard !request.artifacts.isEmpty else {
            throw PlatformError(.releaseInvalid, "a release names at least one artifact digest", details: ["field": "artifacts"])
        }
        var digests: Set<String> = []
        for artifact in request.artifacts {
            guard let digest = try? ContentDigest(parsing: artifact) else {
                throw PlatformError(.releaseInvalid, "artifact \"\(artifact.prefix(80))\" is not a sha256:<64 hex> digest", details: ["field": "artifacts"])
            }
            digests.insert(digest.description)
        }
        return digests.sorted()
    }

    /// A candidate release of the project, for a change.
    /// - Throws: `release.not_found`, `release.state_invalid` once promoted.
    func candidate(_ id: String, in project: Project) async throws -> Release {
        let release = try await release(id, in: project)
        guard release.state == .candidate else {
            throw PlatformError(.releaseStateInvalid, "release \(id) is \(release.state.rawValue); its bundle and approvals are closed",
                                details: ["state": release.state.rawValue])
        }
        return release
    }

    /// Loads evidence, approvals and latest decisions of releases and fills in their bundles.
    func assemble(_ releases: [Release], project: String) async throws -> [Release] {
        let ids = releases.map(\.id)
        let (evidence, approvals, decisions) = try await store.read { db in
            (try await ReleaseRows.evidence(of: ids, in: db), try await ReleaseRows.approvals(of: ids, in: db),
             try await ReleaseRows.latestDecisions(of: ids, in: db))
        }
        let revoked = Set(try await keys.keys(project: project, purpose: .artifactSigning).filter { $0.status == .revoked }.map(\.id))
        return releases.map { release in
            var release = release
            release.evidence = evidence[release.id] ?? []
            release.approvals = approvals[release.id] ?? []
            release.decision = decisions[release.id]
            release.bundle = ReleaseField.allCases.map { field in
                let carrier = release.evidence.last { $0.type == field.evidenceType && ($0.platformMade || !revoked.contains($0.keyId)) }
                return ReleaseBundleField(field: field, evidenceType: field.evidenceType, envelope: carrier?.envelope)
            }
            return release
        }
    }

    /// `release/<project>/<id>`, the audit target.
    static func target(_ release: Release) -> String { "release/\(release.projectId)/\(release.id)" }
}

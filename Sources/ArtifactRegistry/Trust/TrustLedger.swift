import Foundation
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit

/// Trust states of artifacts and the promotion gates of the artifact-type registry.
///
/// An artifact (a pushed manifest that is not itself a referrer) starts `registered`. A
/// signature that verifies against a trusted key moves it to `verified` when the type's
/// gate allows; `promoted:staging` and `promoted:production` need the gate's signatures and
/// evidence; `quarantined` and `revoked` are side states that gate pulls. Every transition
/// and refusal is audited. Promotion never copies or rewrites: the digest and its
/// referrers stay as they are.
public struct TrustLedger: Sendable {
    let store: SQLStore
    let blobs: any BlobStore
    let keys: any SigningKeyDirectory
    let identity: any Authorizer
    let audit: any TransactionalAuditing
    let types: ArtifactTypeRegistry
    let evidencePredicates: [String: String]
    /// Writes `artifact.promoted` in the promotion's transaction; `nil` writes none.
    let outbox: OutboxWriter?
    /// The snapshot a promotion decides with (an authority write), named in its audit; `nil`: none.
    let policy: (any PolicyEvaluator)?
    /// The release decisions a move to `promoted:production` needs (a recorded passing decision
    /// covering the digest); `nil` refuses every such move (`release.decision_required`).
    let releases: (any ReleaseDecisions)?
    /// Checks evidence content against the evidence-type registry's schemas: at push (a
    /// schema-invalid statement is refused, `evidence.invalid`) and at every evaluation (a
    /// statement that no longer validates does not count); `nil` checks signatures only.
    let validator: (any EvidenceValidating)?

    /// Creates the ledger.
    /// - Parameters:
    ///   - evidencePredicates: Evidence type id → the in-toto predicate type carrying it.
    ///   - outbox: Announces each promotion (`artifact.promoted`) to the promoter, written
    ///     in the same transaction as the new trust state; `nil` announces nothing.
    ///   - releases: Where a move to `promoted:production` finds its passing release decision
    ///     (separation of duties: production needs `release:promote` and a decision).
    ///   - validator: Checks evidence predicates against their types' schemas (push and evaluation).
    public init(store: SQLStore, blobs: any BlobStore, keys: any SigningKeyDirectory, identity: any Authorizer,
                audit: any TransactionalAuditing, types: ArtifactTypeRegistry, evidencePredicates: [String: String],
                outbox: OutboxWriter? = nil, policy: (any PolicyEvaluator)? = nil, releases: (any ReleaseDecisions)? = nil,
                validator: (any EvidenceValidating)? = nil) {
        self.validator = validator
        self.outbox = outbox
        self.policy = policy
        self.releases = releases
        self.store = store
        self.blobs = blobs
        self.keys = keys
        self.identity = identity
        self.audit = audit
        self.types = types
        self.evidencePredicates = evidencePredicates
    }

    /// A verified signature or evidence referrer about to be stored.
    struct IncomingSignature: Sendable {
        let subject: ContentDigest
        let reports: [AttestationReport]
    }

    /// Records a newly pushed artifact as `registered` (referrers are not artifacts).
    func register(_ access: RepositoryAccess, digest: ContentDigest, mediaType: String, artifactType: String?, isReferrer: Bool,
                  _ db: any SQLDatabase) async throws {
        guard !isReferrer else { return }
        let type = types.type(mediaType: mediaType, artifactType: artifactType)
        try await db.insert(into: "artifacts_trust").columns("project_id", "digest", "repository", "type_id", "state", "updated_at")
            .values(SQLBind(access.project.id), SQLBind(digest.description), SQLBind(access.repository.name),
                    SQLBind(type?.typeId ?? ""), SQLBind(TrustState.registered.rawValue), SQLBind(Timestamp.now().rfc3339))
            .ignoringConflicts().run()
    }

    /// Verifies a signature-bearing manifest before it is stored; refuses (and audits) one that does not verify.
    func checkIncoming(_ access: RepositoryAccess, manifest: ManifestDocument, digest: ContentDigest, tag: String?,
                       blobs read: (ContentDigest) async throws -> Data) async throws -> IncomingSignature? {
        let keys = try await keys.keys(project: access.project.id, purpose: .artifactSigning)
        var reports: [AttestationReport] = []
        let subject: ContentDigest
        if let tag, let signed = CosignSimpleSigning.subject(ofSignatureTag: tag),
           manifest.layers?.contains(where: { $0.mediaType == MediaType.cosignSimpleSigning }) == true {
            subject = signed
            for layer in manifest.layers ?? [] where layer.mediaType == MediaType.cosignSimpleSigning {
                let verdict = AttestationVerifier.verifyCosign(
                    payload: try await read(layer.digest), signature: layer.annotations?[Annotation.cosignSignature], subject: subject, keys: keys)
                reports.append(report(kind: "cosign", referrer: digest, repository: access.repository.name, verdict, evidenceAnnotation: nil))
            }
        } else if let referrerSubject = manifest.subject,
                  manifest.artifactType == MediaType.dsseEnvelope || manifest.layers?.contains(where: { $0.mediaType == MediaType.dsseEnvelope }) == true {
            subject = referrerSubject.digest
            let annotated = manifest.annotations?[Annotation.evidenceType]
            if let annotated, evidencePredicates[annotated] == nil {
                try await refuse(access, subject: subject, PlatformError(
                    .artifactEvidenceTypeUnknown, "evidence type \(annotated) is not in the evidence-type registry (\(evidencePredicates.keys.sorted().joined(separator: ", ")))"))
            }
            for layer in manifest.layers ?? [] where layer.mediaType == MediaType.dsseEnvelope {
                let verdict = AttestationVerifier.verifyDSSE(try await read(layer.digest), subject: subject, keys: keys)
                reports.append(report(kind: "dsse", referrer: digest, repository: access.repository.name, verdict, evidenceAnnotation: annotated))
            }
        } else {
            return nil
        }
        if let bad = reports.first(where: { !$0.valid }) {
            try await refuse(access, subject: subject, PlatformError(bad.code ?? .artifactSignatureInvalid, bad.reason ?? "signature refused",
                                                                     details: ["subject": subject.description, "keyId": bad.keyId ?? ""]))
        }
        guard !reports.isEmpty else {
            try await refuse(access, subject: subject, PlatformError(.artifactSignatureMalformed, "the signature manifest carries no signature layer"))
        }
        return IncomingSignature(subject: subject, reports: reports)
    }

    /// Audits an accepted signature and moves a `registered` subject to `verified` when its gate is met.
    func accept(_ signature: IncomingSignature, access: RepositoryAccess) async throws {
        try await store.transaction { db in
            for report in signature.reports {
                try await audit.append(
                    AuditEvent(actor: PrincipalID(access.caller.principalId), action: "artifacts.signature.accept",
                               target: "artifact/\(access.project.id)/\(signature.subject)", outcome: .success, requestID: access.requestID,
                               details: ["referrer": report.referrer, "kind": report.kind, "keyId": report.keyId ?? "",
                                         "evidenceType": report.evidenceType ?? ""],
                               project: access.project.id),
                    tenant: access.project.tenantId, in: db)
            }
        }
        guard let status = try? await evaluate(project: access.project, digest: signature.subject), status.state == .registered,
              status.gates.first(where: { $0.to == .verified })?.satisfied == true else { return }
        try await transition(status, to: .verified, project: access.project, caller: access.caller, requestID: access.requestID,
                             reason: "signature verified")
    }

    /// Refuses pulls of quarantined or revoked artifacts, except for callers who may push
    /// (signers). The push scope is looked up only for gated artifacts, off the hot path.
    func checkPull(_ access: RepositoryAccess, digest: ContentDigest) async throws {
        guard access.action != .push else { return }
        let state = try await store.read { db in
            try await db.select().column("state").from("artifacts_trust").where("project_id", .equal, access.project.id)
                .where("digest", .equal, digest.description).first()?.decode(column: "state", as: String.self)
        }
        guard let state, let trust = TrustState(rawValue: state), trust == .quarantined || trust == .revoked else { return }
        if try await identity.authorize(access.caller, scope: RegistryAction.push.scope) == .allow { return }
        try await store.transaction { db in
            try await audit.append(
                AuditEvent(actor: PrincipalID(access.caller.principalId), action: "artifacts.pull.deny",
                           target: "artifact/\(access.project.id)/\(digest)", outcome: .denied, requestID: access.requestID,
                           details: ["state": state, "repository": access.repository.name], project: access.project.id),
                tenant: access.project.tenantId, in: db)
        }
        throw PlatformError(.artifactPullGated, "\(digest) is \(state); pulls are refused until platform control releases it",
                            details: ["state": state])
    }

    private func refuse(_ access: RepositoryAccess, subject: ContentDigest, _ error: PlatformError) async throws -> Never {
        try await store.transaction { db in
            try await audit.append(
                AuditEvent(actor: PrincipalID(access.caller.principalId), action: "artifacts.signature.reject",
                           target: "artifact/\(access.project.id)/\(subject)", outcome: .denied, requestID: access.requestID,
                           details: ["code": error.code.rawValue, "reason": error.message, "repository": access.repository.name],
                           project: access.project.id),
                tenant: access.project.tenantId, in: db)
        }
        throw error
    }

    func report(kind: String, referrer: ContentDigest, repository: String, _ verdict: AttestationVerifier.Verdict,
                evidenceAnnotation: String?) -> AttestationReport {
        let predicate = verdict.statement?.predicateType
        let evidence = evidenceAnnotation ?? predicate.flatMap { predicate in
            evidencePredicates.sorted { $0.key < $1.key }.first { $0.value == predicate }?.key
        }
        var failure = verdict.failure
        if failure == nil, let evidence, let predicate, evidencePredicates[evidence] != predicate {
            failure = PlatformError(.artifactSignatureMalformed, "evidence \(evidence) must be a \(evidencePredicates[evidence] ?? "?") statement, not \(predicate)")
        }
        if failure == nil, let evidence {
            failure = content(of: verdict.statement, evidenceType: evidence).failure
        }
        let source = verdict.statement?.provenanceSource.map { SourceProvenance(repository: $0.repository, commit: $0.commit) }
        return AttestationReport(
            kind: kind, referrer: referrer.description, repository: repository, keyId: verdict.key?.id, keyName: verdict.key?.name,
            keyStatus: verdict.key?.status, signer: verdict.key?.createdBy, valid: failure == nil, code: failure?.code,
            reason: failure?.message, predicateType: predicate, evidenceType: evidence, source: source)
    }
}

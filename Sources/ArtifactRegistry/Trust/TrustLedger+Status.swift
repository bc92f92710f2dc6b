import Foundation
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit

extension TrustLedger {
    /// Every artifact of a project (resolved by the request) with its state.
    public func artifacts(in project: Project) async throws -> [ArtifactSummary] {
        try await store.read { db in
            try await db.select().columns("*").from("artifacts_trust").where("project_id", .equal, project.id)
                .orderBy("updated_at", .descending).all().map { row in
                    ArtifactSummary(
                        digest: try row.decode(column: "digest", as: String.self), repository: try row.decode(column: "repository", as: String.self),
                        typeId: try row.decode(column: "type_id", as: String.self),
                        state: TrustState(rawValue: try row.decode(column: "state", as: String.self)) ?? .registered,
                        updatedAt: try row.decode(column: "updated_at", as: String.self))
                }
        }
    }

    /// State, signatures, provenance, evidence and gates of one digest in a project the
    /// request already resolved for its caller (no second IAM lookup).
    public func status(in project: Project, digest: ContentDigest) async throws -> ArtifactStatus {
        try await evaluate(project: project, digest: digest)
    }

    /// Moves an artifact to `target` if the transition is allowed and the gate is met;
    /// otherwise audits the refusal and throws ``ErrorCode/artifactPromotionBlocked`` (with
    /// `details.missing`) or ``ErrorCode/artifactTransitionInvalid``.
    public func promote(in project: Project, digest: ContentDigest, to target: TrustState, by caller: Caller,
                        requestID: String?) async throws -> ArtifactStatus {
        // An authority write: a snapshot past the freshness budget refuses (policy.stale).
        let snapshot = try await policy?.snapshot(for: .authority)
        let status = try await evaluate(project: project, digest: digest)
        if status.state == target { return status }
        let allowedFrom: Set<TrustState> = switch target {
        case .verified: [.registered]
        case .promotedStaging: [.verified]
        case .promotedProduction: [.promotedStaging]
        case .quarantined: [.registered, .verified, .promotedStaging, .promotedProduction]
        case .revoked: [.registered, .verified, .promotedStaging, .promotedProduction, .quarantined]
        case .registered: [.quarantined]
        }
        let type = types.types.first { $0.typeId == status.typeId }
        // Authority first: a key without `release:promote` learns that, not which evidence to add.
        var refusal: PlatformError? = target == .promotedProduction ? try await productionAuthorityRefusal(caller) : nil
        if refusal != nil {
        } else if !allowedFrom.contains(status.state) {
            refusal = PlatformError(.artifactTransitionInvalid,
                                    "\(status.state.rawValue) → \(target.rawValue) is not a transition; allowed from \(allowedFrom.map(\.rawValue).sorted().joined(separator: ", "))",
                                    details: ["state": status.state.rawValue])
        } else if let type, !type.trustStates.contains(target.rawValue) {
            refusal = PlatformError(.artifactTransitionInvalid, "artifact type \(type.typeId) has no state \(target.rawValue)")
        } else if type == nil, target.rank > TrustState.registered.rank {
            refusal = PlatformError(.artifactPromotionBlocked, "the artifact matches no type of the artifact-type registry, so no gate can pass",
                                    details: ["missing": "artifact type"])
        } else if status.state == .quarantined, let holder = status.heldBy.flatMap(CallerReach.init(rawValue:)),
                  CallerReach(of: caller) < holder {
            refusal = PlatformError(.artifactTransitionInvalid,
                                    "the quarantine was set by a \(holder.rawValue)-wide key; only a key of that reach or wider may change it",
                                    details: ["state": status.state.rawValue, "heldBy": holder.rawValue])
        } else if let gate = status.gates.first(where: { $0.to == target }), !gate.satisfied {
            refusal = PlatformError(.artifactPromotionBlocked, "cannot promote to \(target.rawValue): \(gate.missing.joined(separator: "; "))",
                                    details: ["missing": gate.missing.joined(separator: "; "), "state": status.state.rawValue])
        }
        // Separation of duties: production needs `release:promote` and a passing release decision.
        var decision: String?
        if refusal == nil, target == .promotedProduction {
            do {
                decision = try await productionDecision(project: project, digest: digest, caller: caller)
            } catch let error as PlatformError {
                refusal = error
            }
        }
        if let refusal {
            try await store.transaction { db in
                try await audit.append(
                    AuditEvent(actor: PrincipalID(caller.principalId), action: "artifacts.promotion.refuse",
                               target: "artifact/\(project.id)/\(digest)", outcome: .denied, requestID: requestID,
                               details: ["from": status.state.rawValue, "to": target.rawValue, "code": refusal.code.rawValue,
                                         "missing": refusal.details["missing"] ?? refusal.message].naming(policySnapshot: snapshot?.id),
                               project: project.id),
                    tenant: project.tenantId, in: db)
            }
            throw refusal
        }
        return try await transition(status, to: target, project: project, caller: caller, requestID: requestID, reason: "requested",
                                    policySnapshot: snapshot?.id, decision: decision)
    }

    @discardableResult
    func transition(_ status: ArtifactStatus, to target: TrustState, project: Project, caller: Caller, requestID: String?,
                    reason: String, policySnapshot: String? = nil, decision: String? = nil) async throws -> ArtifactStatus {
        let now = Timestamp.now().rfc3339
        try await store.transaction { db in
            let holder: String? = target.rank < 0 ? CallerReach(of: caller).rawValue : nil
            try await db.update("artifacts_trust").set("state", to: target.rawValue).set("updated_at", to: now)
                .set("held_by", to: SQLBind(holder))
                .where("project_id", .equal, project.id).where("digest", .equal, status.digest)
                .where("state", .equal, status.state.rawValue).run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "artifacts.trust.transition",
                           target: "artifact/\(project.id)/\(status.digest)", outcome: .success, requestID: requestID,
                           details: ["from": status.state.rawValue, "to": target.rawValue, "reason": reason,
                                     "signatures": status.signatures.filter(\.valid).compactMap(\.keyId).joined(separator: ","),
                                     "evidence": status.evidence.filter(\.valid).compactMap(\.evidenceType).joined(separator: ",")]
                               .merging(decision.map { ["decision": $0] } ?? [:]) { current, _ in current }
                               .naming(policySnapshot: policySnapshot),
                           project: project.id),
                tenant: project.tenantId, in: db)
            if let outbox, let notice = Self.promotionNotice(status, to: target, project: project, caller: caller, at: now) {
                try await outbox.notify(notice.event, dedupeKey: notice.dedupeKey, in: db)
            }
        }
        var moved = status
        moved.state = target
        moved.effectiveState = target.rank < 0 ? target : TrustState.effective(recorded: target) { rung in
            status.gates.first { $0.to == rung }?.satisfied
        }
        moved.heldBy = target.rank < 0 ? CallerReach(of: caller).rawValue : nil
        moved.updatedAt = now
        return moved
    }

    /// Re-verifies everything attached to a digest against the project's keys as they are now.
    func evaluate(project: Project, digest: ContentDigest) async throws -> ArtifactStatus {
        let facts = try await store.read { db in try await Self.facts(project: project.id, digest: digest, db) }
        guard let facts else { throw PlatformError(.artifactNotFound, "no artifact \(digest) in project \(project.id)") }
        let keys = try await keys.keys(project: project.id, purpose: .artifactSigning)
        var reports: [AttestationReport] = []
        var contentFacts: [String: [String: String]] = [:]
        for (repository, referrer, cosign) in facts.attachments {
            guard let bytes = try? await blobs.readAll(referrer),
                  let (document, _) = try? ManifestDocument.parse(bytes, declared: nil) else { continue }
            for layer in document.layers ?? [] {
                if !cosign, layer.mediaType == MediaType.dsseEnvelope, let envelope = try? await blobs.readAll(layer.digest) {
                    let verdict = AttestationVerifier.verifyDSSE(envelope, subject: digest, keys: keys)
                    reports.append(report(kind: "dsse", referrer: referrer, repository: repository, verdict,
                                          evidenceAnnotation: document.annotations?[Annotation.evidenceType]))
                    if let made = reports.last, made.valid, made.evidenceType != nil {
                        contentFacts[made.referrer] = content(of: verdict.statement, evidenceType: made.evidenceType).facts
                    }
                } else if cosign, layer.mediaType == MediaType.cosignSimpleSigning, let payload = try? await blobs.readAll(layer.digest) {
                    let verdict = AttestationVerifier.verifyCosign(
                        payload: payload, signature: layer.annotations?[Annotation.cosignSignature], subject: digest, keys: keys)
                    reports.append(report(kind: "cosign", referrer: referrer, repository: repository, verdict, evidenceAnnotation: nil))
                }
            }
        }
        let type = types.types.first { $0.typeId == facts.typeId }
        let validKeys = Set(reports.filter(\.valid).compactMap(\.keyId))
        let validEvidence = Set(reports.filter(\.valid).compactMap(\.evidenceType))
        let gates = (type?.gates ?? []).compactMap { gate -> GateReport? in
            guard let target = TrustState(rawValue: gate.to) else { return nil }
            var missing: [String] = []
            if validKeys.count < gate.signatures {
                missing.append("signatures: \(gate.signatures) by distinct trusted keys needed, \(validKeys.count) valid")
            }
            for evidence in gate.evidence where !validEvidence.contains(evidence) {
                missing.append("evidence: \(evidence) (\(evidencePredicates[evidence] ?? "?")) signed by a trusted key")
            }
            missing += Self.contentMissing(gate.evidence, reports: reports, facts: contentFacts)
            return GateReport(to: target, satisfied: missing.isEmpty, missing: missing)
        }
        let effective = TrustState.effective(recorded: facts.state) { rung in gates.first { $0.to == rung }?.satisfied }
        return ArtifactStatus(
            digest: digest.description, projectId: project.id, repositories: facts.repositories, tags: facts.tags, typeId: facts.typeId,
            state: facts.state, updatedAt: facts.updatedAt, signatures: reports, evidence: reports.filter { $0.evidenceType != nil },
            provenance: reports.first { $0.valid && $0.source != nil }?.source, gates: gates, effectiveState: effective,
            heldBy: facts.heldBy)
    }

    struct Facts {
        var typeId: String
        var state: TrustState
        var heldBy: String?
        var updatedAt: String
        var repositories: [String]
        var tags: [String]
        var attachments: [(repository: String, referrer: ContentDigest, cosign: Bool)]
    }

    static func facts(project: String, digest: ContentDigest, _ db: any SQLDatabase) async throws -> Facts? {
        guard let row = try await db.select().columns("*").from("artifacts_trust").where("project_id", .equal, project)
            .where("digest", .equal, digest.description).first() else { return nil }
        let repositories = try await db.select().column("name").from("artifacts_repositories").where("project_id", .equal, project)
            .all().map { try $0.decode(column: "name", as: String.self) }
        guard !repositories.isEmpty else { return nil }
        let holding = try await db.select().column("repository").from("artifacts_manifests").where("repository", .in, repositories)
            .where("digest", .equal, digest.description).all().map { try $0.decode(column: "repository", as: String.self) }
        let tags = try await db.select().columns("repository", "tag").from("artifacts_tags").where("repository", .in, repositories)
            .where("digest", .equal, digest.description).all()
            .map { "\(try $0.decode(column: "repository", as: String.self)):\(try $0.decode(column: "tag", as: String.self))" }
        var attachments: [(String, ContentDigest, Bool)] = try await db.select().columns("repository", "digest").from("artifacts_manifests")
            .where("repository", .in, repositories).where("subject", .equal, digest.description).orderBy("created_at").all()
            .map { (try $0.decode(column: "repository", as: String.self), try ContentDigest(parsing: try $0.decode(column: "digest", as: String.self)), false) }
        attachments += try await db.select().columns("repository", "digest").from("artifacts_tags").where("repository", .in, repositories)
            .where("tag", .equal, CosignSimpleSigning.signatureTag(for: digest)).all()
            .map { (try $0.decode(column: "repository", as: String.self), try ContentDigest(parsing: try $0.decode(column: "digest", as: String.self)), true) }
        return Facts(
            typeId: try row.decode(column: "type_id", as: String.self),
            state: TrustState(rawValue: try row.decode(column: "state", as: String.self)) ?? .registered,
            heldBy: try row.decode(column: "held_by", as: String?.self),
            updatedAt: try row.decode(column: "updated_at", as: String.self), repositories: holding.sorted(), tags: tags.sorted(),
            attachments: attachments)
    }
}

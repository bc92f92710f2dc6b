import Foundation
import Logging
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit

extension ReleaseService {
    /// Types only the platform makes, whatever the registry says: a hand-made statement of one
    /// of these would let a project vouch for its own approval, smoke or migrations.
    static let platformMadeTypes: Set<String> = [
        "release-candidate", "approval", "contract-drift", "migration-status", "capacity-posture", "deploy-smoke",
    ]
    /// Platform-made types made on request (the others come with create and approve).
    static let onRequestTypes: Set<String> = ["contract-drift", "migration-status", "capacity-posture", "deploy-smoke"]

    public func attach(_ request: ReleaseEvidenceRequest, to id: String, in project: Project, by caller: Caller,
                       requestID: String?) async throws -> ReleaseEvidence {
        let release = try await candidate(id, in: project)
        let evidence: ReleaseEvidence
        do {
            evidence = try await verified(request, release: release, caller: caller)
        } catch let error as PlatformError {
            try await refuse(release, type: request.type, caller: caller, requestID: requestID, error)
        }
        try await store.transaction { db in
            try await record(evidence, release: release, in: db)
            try await audit.append(attachEvent(evidence, release: release, caller: caller, requestID: requestID, correlationId: nil),
                                   tenant: release.tenantId, in: db)
        }
        return evidence
    }

    public func attachPlatformEvidence(type: String, predicate: [UInt8], to id: String, in project: Project, by caller: Caller,
                                       correlationId: String?, requestID: String?) async throws -> ReleaseEvidence {
        let release = try await candidate(id, in: project)
        let evidence: ReleaseEvidence
        do {
            guard Self.onRequestTypes.contains(type) else {
                throw PlatformError(.evidenceTypeUnknown, "the platform makes \(Self.onRequestTypes.sorted().joined(separator: ", ")) on request, not \(type)",
                                    details: ["type": type])
            }
            evidence = try await platformStatement(type: type, predicate: predicate, release: release, attachedBy: caller.principalId)
        } catch let error as PlatformError {
            try await refuse(release, type: type, caller: caller, requestID: requestID, error)
        }
        try await store.transaction { db in
            try await record(evidence, release: release, in: db)
            if let correlationId, !release.correlationIds.contains(correlationId) {
                try await ReleaseRows.setCorrelationIds(release.id, release.correlationIds + [correlationId], in: db)
            }
            try await audit.append(attachEvent(evidence, release: release, caller: caller, requestID: requestID, correlationId: correlationId),
                                   tenant: release.tenantId, in: db)
        }
        return evidence
    }

    /// Verifies a hand-made statement and stores its envelope: the type may be attached by
    /// hand, a project key signed it (not revoked), its predicate type is the type's, its
    /// subjects name every artifact and its predicate validates against the type's schema.
    func verified(_ request: ReleaseEvidenceRequest, release: Release, caller: Caller) async throws -> ReleaseEvidence {
        guard let definition = validator.types.first(where: { $0.evidenceId == request.type }) else {
            throw PlatformError(.evidenceTypeUnknown, "evidence type \(request.type) is not in the evidence-type registry",
                                details: ["type": request.type])
        }
        guard !definition.platformMade, !Self.platformMadeTypes.contains(request.type) else {
            throw PlatformError(.evidenceTypeUnknown, "\(request.type) is made and signed by the platform only; it cannot be attached by hand",
                                details: ["type": request.type])
        }
        let bytes = Data(request.envelope.utf8)
        let trusted = try await keys.keys(project: release.projectId, purpose: .artifactSigning)
        let signed = try ReleaseEnvelopeVerifier.verify(bytes, keys: trusted)
        guard signed.statement.predicateType == definition.predicateType else {
            throw PlatformError(.evidenceInvalid, "a \(request.type) statement has predicateType \(definition.predicateType), not \(signed.statement.predicateType)",
                                details: ["path": "predicateType", "reason": "wrong predicate type"])
        }
        try ReleaseEnvelopeVerifier.requireCovers(signed.statement, artifacts: release.artifacts)
        let facts = try validator.validate(evidenceId: request.type, predicateType: definition.predicateType, predicate: [UInt8](signed.statement.predicate))
        let digest = ReleaseStatements.digest(of: bytes)
        try await blobs.put(bytes, expecting: digest)
        return ReleaseEvidence(
            id: ULID().description, type: request.type, predicateType: definition.predicateType, envelope: digest.description, keyId: signed.key.id,
            signer: signed.key.createdBy, attachedBy: caller.principalId, attachedAt: Timestamp.now().rfc3339, platformMade: false, facts: facts)
    }

    /// Signs a platform-made statement about the release's artifacts and stores its envelope.
    /// The predicate is validated against the type's schema like any other: the platform's own
    /// statements keep the registry's shapes. A type the registry does not list yet is signed
    /// under the registry's naming and not validated.
    func platformStatement(type: String, predicate: [UInt8], release: Release, attachedBy: String) async throws -> ReleaseEvidence {
        let definition = validator.types.first { $0.evidenceId == type }
        let predicateType = definition?.predicateType ?? ReleaseStatements.fallbackPredicateType(type)
        var facts: [String: String] = [:]
        if definition != nil {
            facts = try validator.validate(evidenceId: type, predicateType: predicateType, predicate: predicate)
        } else {
            logger.warning("platform evidence type not in the evidence-type registry: not validated", metadata: ["type": "\(type)"])
        }
        let bytes = try ReleaseStatements.signed(artifacts: release.artifacts, predicateType: predicateType, predicate: predicate, with: platformSigner)
        let digest = ReleaseStatements.digest(of: bytes)
        try await blobs.put(bytes, expecting: digest)
        return ReleaseEvidence(
            id: ULID().description, type: type, predicateType: predicateType, envelope: digest.description, keyId: platformSigner.publicKey.keyID,
            signer: "platform", attachedBy: attachedBy, attachedAt: Timestamp.now().rfc3339, platformMade: true, facts: facts)
    }

    /// Writes the release's evidence row and the shared operating record's row (subject
    /// `release/<id>`) in one transaction: the record and what it proves commit together.
    func record(_ evidence: ReleaseEvidence, release: Release, in db: any SQLDatabase) async throws {
        try await ReleaseRows.insert(evidence, release: release.id, in: db)
        let retention = validator.types.first { $0.evidenceId == evidence.type }?.retentionClass ?? "release"
        try await EvidenceRecords.insert(
            EvidenceRecord(type: evidence.type, subject: "release/\(release.id)", document: try ContentDigest(parsing: evidence.envelope),
                           id: evidence.id, predicateType: evidence.predicateType, keyId: evidence.keyId, signer: evidence.signer,
                           attachedBy: evidence.attachedBy, projectId: release.projectId, retentionClass: retention, facts: evidence.facts,
                           recordedAt: evidence.attachedAt),
            in: db)
    }

    func attachEvent(_ evidence: ReleaseEvidence, release: Release, caller: Caller, requestID: String?, correlationId: String?) -> AuditEvent {
        var details = ["type": evidence.type, "envelope": evidence.envelope, "keyId": evidence.keyId, "signer": evidence.signer,
                       "platformMade": evidence.platformMade ? "true" : "false"]
        if let correlationId { details["correlationId"] = correlationId }
        return AuditEvent(actor: PrincipalID(caller.principalId), action: "release.evidence.attach", target: Self.target(release),
                          outcome: .success, requestID: requestID, details: details, project: release.projectId)
    }

    /// Audits a refused statement (`release.evidence.reject`) and throws the refusal.
    func refuse(_ release: Release, type: String, caller: Caller, requestID: String?, _ error: PlatformError) async throws -> Never {
        try await store.transaction { db in
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "release.evidence.reject", target: Self.target(release),
                           outcome: .denied, requestID: requestID,
                           details: ["type": type, "code": error.code.rawValue, "reason": error.message], project: release.projectId),
                tenant: release.tenantId, in: db)
        }
        throw error
    }
}

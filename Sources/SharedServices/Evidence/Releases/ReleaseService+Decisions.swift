import Foundation
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit

extension ReleaseService {
    public func evaluate(release id: String, in project: Project, by caller: Caller, record: Bool, requestID: String?) async throws
        -> ReleaseDecision {
        let release = try await release(id, in: project)
        // A recorded decision grants promotion: it decides with a fresh snapshot or not at all.
        let snapshot = record ? try await policy.snapshot(for: .authority) : await policy.read().snapshot
        let required = Self.requiredFields(release, snapshot: snapshot)
        let (valid, invalid) = try await recheck(release)
        let inputs = GateInputs(
            release: release, valid: valid, invalid: invalid, trust: await trustStates(release, project: project), required: required,
            blockingSeverities: snapshot.list("release.blocking_severities", project: project.id, tenant: project.tenantId) ?? ["critical", "high"],
            securityOwnerClasses: snapshot.list("release.security_owner_risk_classes", project: project.id, tenant: project.tenantId)
                ?? ["high", "critical"],
            reservePercent: snapshot.integer("release.capacity_reserve_percent", project: project.id, tenant: project.tenantId) ?? 10,
            smokeMaxSeconds: snapshot.integer("release.smoke_max_seconds", project: project.id, tenant: project.tenantId) ?? 600)
        let gates = ReleaseGates.evaluate(inputs)
        var decision = ReleaseDecision(
            id: record ? ULID().description : nil, releaseId: release.id, environment: release.environment,
            verificationResult: gates.allSatisfy(\.passed) ? "PASSED" : "FAILED", gates: gates,
            requiredFields: ReleaseField.allCases.filter(required.contains), inputDigests: Set(gates.flatMap(\.inputs)).sorted(),
            policySnapshot: snapshot.id, decidedAt: Timestamp.now().rfc3339, decidedBy: caller.principalId, envelope: nil)
        guard record else { return decision }
        let bytes = try ReleaseStatements.signed(artifacts: release.artifacts, predicateType: ReleaseStatements.verificationSummary,
                                                 predicate: try Self.summary(decision, release: release), with: platformSigner)
        let digest = ReleaseStatements.digest(of: bytes)
        try await blobs.put(bytes, expecting: digest)
        decision.envelope = digest.description
        try await store.transaction { [decision] db in
            try await ReleaseRows.insert(decision, project: project.id, in: db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "release.decision", target: Self.target(release), outcome: .success,
                           requestID: requestID,
                           details: ["decision": decision.id ?? "", "result": decision.verificationResult, "policySnapshot": snapshot.id,
                                     "envelope": digest.description, "environment": release.environment,
                                     "failingGates": gates.filter { !$0.passed }.map(\.gate.rawValue).joined(separator: ",")],
                           project: project.id),
                tenant: project.tenantId, in: db)
        }
        return decision
    }

    public func markPromoted(release id: String, decision: String, in project: Project, by caller: Caller, correlationId: String?,
                             requestID: String?) async throws -> Release {
        let release = try await candidate(id, in: project)
        let recorded = try await store.read { db in try await ReleaseRows.decision(decision, release: release.id, in: db) }
        guard let recorded, recorded.passed, recorded.environment == release.environment else {
            throw PlatformError(.releaseDecisionRequired, "release \(release.id) has no passing decision \(decision) for \(release.environment)",
                                details: ["decision": decision])
        }
        var correlationIds = release.correlationIds
        if let correlationId, !correlationIds.contains(correlationId) { correlationIds.append(correlationId) }
        try await store.transaction { db in
            try await ReleaseRows.update(release.id, state: .promoted, promotedAt: Timestamp.now().rfc3339, correlationIds: correlationIds, in: db)
            var details = ["decision": decision, "environment": release.environment, "artifacts": release.artifacts.joined(separator: ",")]
            if let correlationId { details["correlationId"] = correlationId }
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "release.promote", target: Self.target(release), outcome: .success,
                           requestID: requestID, details: details, project: project.id),
                tenant: project.tenantId, in: db)
        }
        return try await self.release(release.id, in: project)
    }

    public func passingDecision(project: String, digest: String, environment: String) async throws -> String? {
        try await store.read { db in
            let releases = try await db.select().columns("*").from("releases").where("project_id", .equal, project)
                .where("environment", .equal, environment).orderBy("created_at", .descending).orderBy("id", .descending).all()
                .map { row in (id: try row.decode(column: "id", as: String.self),
                               artifacts: try ReleaseRows.decode([String].self, try row.decode(column: "artifacts", as: String.self))) }
                .filter { $0.artifacts.contains(digest) }
            let latest = try await ReleaseRows.latestDecisions(of: releases.map(\.id), in: db)
            // Each release's newest decision speaks for it: a later failed evaluation withdraws an earlier pass.
            return releases.lazy.compactMap { latest[$0.id] }.first { $0.passed }?.id
        }
    }

    public func readiness() async throws -> [EnvironmentReadiness] {
        let (releases, decisions) = try await store.read { db in
            let releases = try await ReleaseRows.releases(project: nil, limit: 200, in: db)
            return (releases, try await ReleaseRows.latestDecisions(of: releases.map(\.id), in: db))
        }
        return Self.environments.map { environment in
            EnvironmentReadiness(environment: environment, releases: releases.filter { $0.environment == environment }.map { release in
                let decision = decisions[release.id]
                return ReleaseReadiness(
                    releaseId: release.id, projectId: release.projectId, state: release.state, sourceSha: release.sourceSha,
                    verificationResult: decision?.verificationResult, decidedAt: decision?.decidedAt,
                    failingGates: decision?.gates.filter { !$0.passed }.map(\.gate) ?? [])
            })
        }
    }

    // MARK: Inputs

    /// `release.required_fields` ∪ (production: `release.production_required_fields`).
    static func requiredFields(_ release: Release, snapshot: PolicySnapshot) -> Set<ReleaseField> {
        var names = snapshot.list("release.required_fields", project: release.projectId, tenant: release.tenantId) ?? []
        if release.environment == "production" {
            names += snapshot.list("release.production_required_fields", project: release.projectId, tenant: release.tenantId) ?? []
        }
        return Set(names.compactMap(ReleaseField.init(rawValue:)))
    }

    /// Re-verifies every statement from its stored envelope: platform-made ones against the
    /// platform key, hand-made ones against the project's keys as they are now (a revoked key's
    /// statements stop counting), subjects against the artifacts, predicates against the schema.
    func recheck(_ release: Release) async throws -> (valid: [CheckedEvidence], invalid: [(evidence: ReleaseEvidence, reason: String)]) {
        let trusted = try await keys.keys(project: release.projectId, purpose: .artifactSigning)
        var valid: [CheckedEvidence] = []
        var invalid: [(evidence: ReleaseEvidence, reason: String)] = []
        for evidence in release.evidence {
            do {
                let bytes = try await blobs.readAll(try ContentDigest(parsing: evidence.envelope))
                let statement = evidence.platformMade
                    ? try ReleaseEnvelopeVerifier.verifyPlatform(bytes, key: platformSigner.publicKey)
                    : try ReleaseEnvelopeVerifier.verify(bytes, keys: trusted).statement
                try ReleaseEnvelopeVerifier.requireCovers(statement, artifacts: release.artifacts)
                var facts = evidence.facts
                if validator.types.contains(where: { $0.evidenceId == evidence.type }) {
                    facts = try validator.validate(evidenceId: evidence.type, predicateType: statement.predicateType, predicate: [UInt8](statement.predicate))
                }
                let predicate = (try? JSONSerialization.jsonObject(with: statement.predicate)) as? [String: Any] ?? [:]
                valid.append(CheckedEvidence(evidence: evidence, predicate: predicate, facts: facts))
            } catch let error as PlatformError {
                invalid.append((evidence, error.message))
            }
        }
        return (valid, invalid)
    }

    /// Each artifact's effective trust now, or `nil` without a trust lookup.
    func trustStates(_ release: Release, project: Project) async -> [String: Result<TrustState, PlatformError>]? {
        guard let artifactTrust else { return nil }
        var states: [String: Result<TrustState, PlatformError>] = [:]
        for artifact in release.artifacts {
            do {
                states[artifact] = .success(try await artifactTrust.effectiveTrust(project: project, digest: artifact))
            } catch let error as PlatformError {
                states[artifact] = .failure(error)
            } catch {
                states[artifact] = .failure(PlatformError(.internalError, "trust lookup failed: \(error)"))
            }
        }
        return states
    }

    /// The decision as a SLSA Verification Summary Attestation predicate.
    static func summary(_ decision: ReleaseDecision, release: Release) throws -> [UInt8] {
        try ReleaseStatements.json([
            "verifier": ["id": "platform://releases"],
            "timeVerified": decision.decidedAt,
            "resourceUri": "platform://projects/\(release.projectId)/releases/\(release.id)",
            "policy": ["uri": "platform://policy-snapshots/\(decision.policySnapshot)"],
            "inputAttestations": decision.inputDigests.map { digest in
                ["uri": "platform://evidence/\(digest)", "digest": ["sha256": String(digest.dropFirst("sha256:".count))]]
            },
            "verificationResult": decision.verificationResult,
            "gates": decision.gates.map { gate in
                ["gate": gate.gate.rawValue, "passed": gate.passed, "missing": gate.missing, "inputs": gate.inputs] as [String: Any]
            },
            "environment": decision.environment,
            "requiredFields": decision.requiredFields.map(\.rawValue),
            "decision": decision.id ?? "",
        ])
    }
}

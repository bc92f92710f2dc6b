import Foundation
import OCIKit
import PlatformContracts
import PlatformStore
import Testing
@testable import EvidenceService

/// Approvals with separation of duties, the six gates and the signed decisions.
@Suite("Release gates")
struct ReleaseGateTests {
    @Test("every bundle field belongs to exactly one gate, so a required field is never missing unlisted")
    func everyBundleFieldHasOneGate() {
        for field in ReleaseField.allCases {
            #expect(ReleaseGate.allCases.filter { $0.fields.contains(field) }.count == 1, "\(field)")
        }
        #expect(ReleaseGates.home(of: .pipelineLinks) == .uatAutomation && ReleaseGates.home(of: .sourceSha) == .environmentProfile)
    }

    @Test("the creator, an attacher and the registrant of a signing key cannot approve; refusals are audited", arguments: Backend.enabled)
    func selfApprovalIsRefused(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            try await world.attach(release, "uat-result", ["suite": "s", "total": 1, "passed": 1, "failed": 0], by: caller("tester"))
            // The key that signed it was registered by "keyholder", who attached nothing.
            let keyholderKey = SigningPrivateKey()
            world.keys.add(keyholderKey, name: "keyholder", owner: caller("keyholder").principalId)
            _ = try await world.service.attach(
                ReleaseEvidenceRequest(type: "rollback-plan", envelope: try world.envelope("rollback-plan", ["strategy": "rollback", "steps": ["x"]],
                                                                                           key: keyholderKey)),
                to: release.id, in: project, by: caller("tester"), requestID: nil)
            for who in ["developer", "tester", "keyholder"] {
                let error = await #expect(throws: PlatformError.self) {
                    try await world.service.approve(ReleaseApprovalRequest(comment: "looks good"), release: release.id, in: project, by: caller(who),
                                                    requestID: nil)
                }
                #expect(error?.code == .releaseSelfApproval, "\(who)")
            }
            let approved = try await world.service.approve(ReleaseApprovalRequest(comment: "reviewed the diff"), release: release.id, in: project,
                                                           by: caller("reviewer"), requestID: nil)
            #expect(approved.approvals.map(\.approver) == [caller("reviewer").principalId])
            #expect(approved.bundle.first { $0.field == .approvals }?.envelope == approved.approvals[0].envelope)
            let actions = try await world.audit().map(\.action).filter { $0.hasPrefix("release.approve") }
            #expect(actions == ["release.approve.refuse", "release.approve.refuse", "release.approve.refuse", "release.approve"])
        }
    }

    @Test("a security-owner approval needs release:approve:security; a high residual risk needs one to pass", arguments: Backend.enabled)
    func securityOwnerApprovalIsRequiredForHighRisk(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            try await world.attachPassingBundle(release, riskClass: "high")
            _ = try await world.service.approve(ReleaseApprovalRequest(comment: "ok"), release: release.id, in: project, by: caller("reviewer"),
                                                requestID: nil)
            var decision = try await world.service.evaluate(release: release.id, in: project, by: caller("reviewer"), record: false, requestID: nil)
            #expect(decision.gates.first { $0.gate == .approvalResidualRisk }?.missing == ["residual-risk class high needs a security-owner approval"])
            let error = await #expect(throws: PlatformError.self) {
                try await world.service.approve(ReleaseApprovalRequest(role: .securityOwner, comment: "ok"), release: release.id, in: project,
                                                by: caller("secops"), requestID: nil)
            }
            #expect(error?.code == .iamForbidden)
            _ = try await world.service.approve(ReleaseApprovalRequest(role: .securityOwner, comment: "risk accepted"), release: release.id,
                                                in: project, by: caller("secops", security: true), requestID: nil)
            decision = try await world.service.evaluate(release: release.id, in: project, by: caller("reviewer"), record: false, requestID: nil)
            #expect(decision.passed, "\(decision.gates.flatMap(\.missing))")
        }
    }

    @Test("a production release with only its candidate statement lists every missing field under its gate", arguments: Backend.enabled)
    func missingEvidenceIsListedPerGate(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            let decision = try await world.service.evaluate(release: release.id, in: project, by: caller("developer"), record: false, requestID: nil)
            #expect(!decision.passed && decision.id == nil && decision.envelope == nil)
            let missing = Dictionary(uniqueKeysWithValues: decision.gates.map { ($0.gate, $0.missing) })
            #expect(missing[.contractDrift] == ["missing contract_drift (contract-drift)"])
            #expect(missing[.uatAutomation] == ["missing pipeline_links (pipeline-links)", "missing uat_result (uat-result)"])
            #expect(missing[.securityEvidence] == ["missing security_scan (security-scan)"])
            #expect(missing[.environmentProfile] == [
                "missing migration_status (migration-status)", "missing deploy_smoke (deploy-smoke)",
                "artifact \(world.artifacts[0]) is verified; production needs promoted:staging",
                "artifact \(world.artifacts[1]) is verified; production needs promoted:staging",
            ])
            #expect(missing[.capacityReserve] == ["missing capacity_posture (capacity-posture)"])
            #expect(missing[.approvalResidualRisk] == ["missing residual_risk (residual-risk)", "missing rollback_plan (rollback-plan)",
                                                      "missing approvals (approval)"])
            #expect(Set(decision.requiredFields) == Set(ReleaseField.allCases))
            // Staging (open decision 2): capacity, approvals, residual risk, rollback plan and smoke are not required.
            let staging = try await world.create("staging")
            let stagingDecision = try await world.service.evaluate(release: staging.id, in: project, by: caller("developer"), record: false,
                                                                   requestID: nil)
            #expect(stagingDecision.gates.first { $0.gate == .capacityReserve }?.passed == true)
            #expect(stagingDecision.gates.first { $0.gate == .approvalResidualRisk }?.passed == true)
            #expect(stagingDecision.gates.first { $0.gate == .environmentProfile }?.missing == ["missing migration_status (migration-status)"])
        }
    }

    @Test("failing evidence fails its gate: UAT failures, a blocking derived severity despite a lying summary, low capacity, slow smoke",
          arguments: Backend.enabled)
    func failingEvidenceFailsItsGate(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            try await world.attachPassingBundle(release)
            try await world.attach(release, "uat-result", ["suite": "checkout", "total": 12, "passed": 10, "failed": 2])
            try await world.attach(release, "security-scan", TestValidator.sarif(levels: ["error"], summary: "none"))
            try await world.platform(release, "capacity-posture", ["totalGpus": 25, "freeGpus": 2, "reservePercent": 10, "requiredFree": 3,
                                                                   "ring": "canary", "result": "pass"])
            try await world.platform(release, "deploy-smoke", ["environment": "staging", "app": "shop", "version": "1", "instance": "i",
                                                               "correlationId": "c", "timeToReadyMs": 700_000, "readyWithinMs": 900_000, "result": "ready"])
            let decision = try await world.service.evaluate(release: release.id, in: project, by: caller("developer"), record: false, requestID: nil)
            let missing = Dictionary(uniqueKeysWithValues: decision.gates.map { ($0.gate, $0.missing) })
            #expect(missing[.uatAutomation] == ["uat-result: 2 failed, 10 passed of 12"])
            #expect(missing[.securityEvidence] == ["security-scan: highest severity high is blocking (critical, high)"])
            #expect(missing[.capacityReserve] == ["capacity-posture: 2 of 25 GPUs free; the 10 % reserve needs 3"])
            #expect(missing[.environmentProfile] == ["deploy-smoke ready after 700000 ms; the limit is 600000 ms"])
            #expect(missing[.contractDrift] == [])
        }
    }

    @Test("a full bundle with a distinct approver passes; the decision is a platform-signed VSA naming every input and the policy snapshot",
          arguments: Backend.enabled)
    func passingDecisionIsASignedVerificationSummary(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            try await world.attachPassingBundle(release)
            _ = try await world.service.approve(ReleaseApprovalRequest(comment: "reviewed"), release: release.id, in: project, by: caller("reviewer"),
                                                requestID: nil)
            let decision = try await world.service.evaluate(release: release.id, in: project, by: caller("platform-control"), record: true,
                                                            requestID: "req-eval")
            #expect(decision.passed, "\(decision.gates.flatMap(\.missing))")
            let id = try #require(decision.id)
            let stored = try await world.service.release(release.id, in: project)
            #expect(stored.decision == decision)
            let bundleEnvelopes = Set(stored.bundle.compactMap(\.envelope))
            #expect(Set(decision.inputDigests) == bundleEnvelopes)
            let bytes = try await world.service.blobs.readAll(try ContentDigest(parsing: try #require(decision.envelope)))
            let statement = try ReleaseEnvelopeVerifier.verifyPlatform(bytes, key: world.platformKey.publicKey)
            #expect(statement.predicateType == "https://slsa.dev/verification_summary/v1")
            try ReleaseEnvelopeVerifier.requireCovers(statement, artifacts: world.artifacts)
            let vsa = try #require(try JSONSerialization.jsonObject(with: statement.predicate) as? [String: Any])
            #expect(vsa["verificationResult"] as? String == "PASSED")
            #expect((vsa["policy"] as? [String: Any])?["uri"] as? String == "platform://policy-snapshots/01JSNAPSHOT000000000000000")
            #expect(vsa["resourceUri"] as? String == "platform://projects/\(project.id)/releases/\(release.id)")
            #expect((vsa["inputAttestations"] as? [[String: Any]])?.count == decision.inputDigests.count)
            let audit = try #require(try await world.audit().last)
            #expect(audit.action == "release.decision" && audit.details["policySnapshot"] == "01JSNAPSHOT000000000000000"
                && audit.details["result"] == "PASSED")
            #expect(try await world.service.passingDecision(project: project.id, digest: world.artifacts[0], environment: "production") == id)
            #expect(try await world.service.passingDecision(project: project.id, digest: world.artifacts[0], environment: "staging") == nil)
            let promoted = try await world.service.markPromoted(release: release.id, decision: id, in: project, by: caller("platform-control"),
                                                                correlationId: "req-promote", requestID: "req-promote")
            #expect(promoted.state == .promoted && promoted.correlationIds.contains("req-promote"))
            let readiness = try await world.service.readiness()
            #expect(readiness.first { $0.environment == "production" }?.releases.map(\.verificationResult) == ["PASSED"])
            await #expect(throws: PlatformError.self) { try await world.attach(promoted, "uat-result", ["suite": "s", "total": 1, "passed": 1, "failed": 0]) }
        }
    }

    @Test("revoking the key that signed the evidence withdraws it at the next evaluation, and a failed decision withdraws the pass",
          arguments: Backend.enabled)
    func revokedKeyWithdrawsEvidence(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            try await world.attachPassingBundle(release)
            _ = try await world.service.approve(ReleaseApprovalRequest(comment: "reviewed"), release: release.id, in: project, by: caller("reviewer"),
                                                requestID: nil)
            let passed = try await world.service.evaluate(release: release.id, in: project, by: caller("platform-control"), record: true, requestID: nil)
            #expect(passed.passed)
            world.keys.revoke(world.developerKey)
            let failed = try await world.service.evaluate(release: release.id, in: project, by: caller("platform-control"), record: true, requestID: nil)
            #expect(!failed.passed)
            let uat = try #require(failed.gates.first { $0.gate == .uatAutomation })
            #expect(uat.missing.contains("missing uat_result (uat-result)"))
            #expect(uat.missing.contains { $0.hasPrefix("uat-result ") && $0.contains("does not count") && $0.contains("revoked") })
            #expect(try await world.service.passingDecision(project: project.id, digest: world.artifacts[0], environment: "production") == nil)
            let error = await #expect(throws: PlatformError.self) {
                try await world.service.markPromoted(release: release.id, decision: failed.id!, in: project, by: caller("platform-control"),
                                                     correlationId: nil, requestID: nil)
            }
            #expect(error?.code == .releaseDecisionRequired)
            #expect(try await world.service.release(release.id, in: project).bundle.first { $0.field == .uatResult }?.envelope == nil)
        }
    }

    @Test("an approval stops counting when its approver later attaches evidence to the release", arguments: Backend.enabled)
    func approvalIsRecheckedAtEvaluation(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            try await world.attachPassingBundle(release)
            _ = try await world.service.approve(ReleaseApprovalRequest(comment: "reviewed"), release: release.id, in: project, by: caller("reviewer"),
                                                requestID: nil)
            try await world.attach(release, "pipeline-links", ["links": [["name": "rerun", "url": "https://ci.example/run/2"]]], by: caller("reviewer"))
            let decision = try await world.service.evaluate(release: release.id, in: project, by: caller("developer"), record: false, requestID: nil)
            #expect(decision.gates.first { $0.gate == .approvalResidualRisk }?.missing == [
                "missing approvals (approval)", "approval by \(caller("reviewer").principalId) does not count: it attached the pipeline-links evidence",
            ])
        }
    }
}

import Foundation
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit
import Testing
@testable import EvidenceService

/// Creating releases and attaching their evidence: what is verified and what is refused.
@Suite("Release evidence")
struct ReleaseEvidenceTests {
    @Test("a release is created with a platform-signed release-candidate statement covering every artifact", arguments: Backend.enabled)
    func createdReleaseCarriesAPlatformSignedCandidate(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            #expect(release.artifacts == world.artifacts)
            #expect(release.state == .candidate && release.createdBy == caller("developer").principalId)
            let candidate = try #require(release.evidence.first)
            #expect(candidate.type == "release-candidate" && candidate.platformMade && candidate.signer == "platform")
            for field in [ReleaseField.releaseId, .environmentTarget, .artifactDigests, .sourceSha, .branch] {
                #expect(release.bundle.first { $0.field == field }?.envelope == candidate.envelope)
            }
            #expect(release.bundle.count == 15)
            #expect(release.bundle.first { $0.field == .uatResult }?.envelope == nil)
            let bytes = try await world.service.blobs.readAll(try ContentDigest(parsing: candidate.envelope))
            let statement = try ReleaseEnvelopeVerifier.verifyPlatform(bytes, key: world.platformKey.publicKey)
            try ReleaseEnvelopeVerifier.requireCovers(statement, artifacts: world.artifacts)
            let predicate = try #require(try JSONSerialization.jsonObject(with: statement.predicate) as? [String: Any])
            #expect(predicate["release"] as? String == release.id && predicate["branch"] as? String == "main")
            let recorded = try await EvidenceRecords(store: world.store).evidence(for: "release/\(release.id)")
            #expect(recorded.map(\.type) == ["release-candidate"] && recorded.first?.document.description == candidate.envelope)
            #expect(recorded.first?.signer == "platform" && recorded.first?.projectId == project.id)
            #expect(try await world.audit().map(\.action) == ["release.create"])
        }
    }

    @Test("create refuses an unknown environment, a short source SHA, an empty branch and a digest that is not an artifact of the project",
          arguments: Backend.enabled)
    func createRefusesBadRequests(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let sha = String(repeating: "c", count: 40)
            let bad: [(ReleaseRequest, ErrorCode)] = [
                (ReleaseRequest(environment: "qa", artifacts: world.artifacts, sourceSha: sha, branch: "main"), .releaseInvalid),
                (ReleaseRequest(environment: "staging", artifacts: world.artifacts, sourceSha: "abc123", branch: "main"), .releaseInvalid),
                (ReleaseRequest(environment: "staging", artifacts: world.artifacts, sourceSha: sha, branch: " "), .releaseInvalid),
                (ReleaseRequest(environment: "staging", artifacts: [], sourceSha: sha, branch: "main"), .releaseInvalid),
                (ReleaseRequest(environment: "staging", artifacts: ["sha256:" + String(repeating: "d", count: 64)], sourceSha: sha, branch: "main"),
                 .artifactNotFound),
            ]
            for (request, expected) in bad {
                do {
                    _ = try await world.service.create(request, in: project, by: caller("developer"), requestID: nil)
                    Issue.record("\(request) was accepted")
                } catch let error as PlatformError {
                    #expect(error.code == expected)
                }
            }
            #expect(try await world.service.releases(in: project).isEmpty)
        }
    }

    @Test("a forged envelope (unknown key, altered payload, revoked key) is refused with the artifact signature codes and audited",
          arguments: Backend.enabled)
    func forgedEnvelopeIsRefused(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            let uat: [String: Any] = ["suite": "checkout", "total": 3, "passed": 3, "failed": 0]
            let stranger = SigningPrivateKey()
            let unknown = try world.envelope("uat-result", uat, key: stranger)
            // Swap the signed payload for another statement: the signature no longer covers it.
            var altered = try JSONDecoder().decode(DSSEEnvelope.self, from: Data(try world.envelope("uat-result", uat).utf8))
            let other = try JSONDecoder().decode(DSSEEnvelope.self, from: Data(try world.envelope("uat-result", ["suite": "x", "total": 1, "passed": 1, "failed": 0]).utf8))
            altered.payload = other.payload
            let alteredText = String(decoding: try JSONEncoder().encode(altered), as: UTF8.self)
            for (text, expected) in [(unknown, ErrorCode.artifactSignatureKeyUnknown), (alteredText, .artifactSignatureInvalid),
                                     ("{\"payload\":1}", .artifactSignatureMalformed)] {
                let error = await #expect(throws: PlatformError.self) {
                    try await world.service.attach(ReleaseEvidenceRequest(type: "uat-result", envelope: text), to: release.id, in: project,
                                                   by: caller("developer"), requestID: nil)
                }
                #expect(error?.code == expected)
            }
            let revokedKey = SigningPrivateKey()
            world.keys.add(revokedKey, name: "old", owner: caller("developer").principalId)
            world.keys.revoke(revokedKey)
            let error = await #expect(throws: PlatformError.self) {
                try await world.service.attach(ReleaseEvidenceRequest(type: "uat-result", envelope: try world.envelope("uat-result", uat, key: revokedKey)),
                                               to: release.id, in: project, by: caller("developer"), requestID: nil)
            }
            #expect(error?.code == .artifactSignatureKeyRevoked)
            let rejects = try await world.audit().filter { $0.action == "release.evidence.reject" }
            #expect(rejects.map { $0.details["code"] } == ["artifacts.signature_key_unknown", "artifacts.signature_invalid",
                                                           "artifacts.signature_malformed", "artifacts.signature_key_revoked"])
            #expect(rejects.allSatisfy { $0.outcome == "denied" })
            #expect(try await world.service.release(release.id, in: project).evidence.count == 1)
        }
    }

    @Test("a statement whose subjects leave out one of the release's artifacts is refused", arguments: Backend.enabled)
    func statementMissingAnArtifactIsRefused(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            let text = try world.envelope("uat-result", ["suite": "s", "total": 1, "passed": 1, "failed": 0], subjects: [world.artifacts[0]])
            let error = await #expect(throws: PlatformError.self) {
                try await world.service.attach(ReleaseEvidenceRequest(type: "uat-result", envelope: text), to: release.id, in: project,
                                               by: caller("developer"), requestID: nil)
            }
            #expect(error?.code == .artifactSignatureSubjectMismatch)
            #expect(error?.details["missing"] == world.artifacts[1])
        }
    }

    @Test("a schema-invalid predicate and a wrong predicate type are refused as evidence.invalid", arguments: Backend.enabled)
    func schemaInvalidStatementIsRefused(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            await #expect(throws: PlatformError.self) { try await world.attach(release, "uat-result", ["suite": "checkout", "passed": 3]) }
            let scanAsUAT = try world.envelope("security-scan", TestValidator.sarif(levels: []))
            let error = await #expect(throws: PlatformError.self) {
                try await world.service.attach(ReleaseEvidenceRequest(type: "uat-result", envelope: scanAsUAT), to: release.id, in: project,
                                               by: caller("developer"), requestID: nil)
            }
            #expect(error?.code == .evidenceInvalid && error?.details["path"] == "predicateType")
            let codes = try await world.audit().filter { $0.action == "release.evidence.reject" }.map { $0.details["code"] }
            #expect(codes == ["evidence.invalid", "evidence.invalid"])
        }
    }

    @Test("platform-made types cannot be attached by hand, and the platform makes only its on-request types", arguments: Backend.enabled)
    func platformMadeTypesAreNotAttachedByHand(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            for type in ["approval", "deploy-smoke", "contract-drift", "release-candidate", "no-such-type"] {
                let error = await #expect(throws: PlatformError.self) { try await world.attach(release, type, ["result": "pass"]) }
                #expect(error?.code == .evidenceTypeUnknown, "\(type)")
            }
            let error = await #expect(throws: PlatformError.self) { try await world.platform(release, "uat-result", ["suite": "s"]) }
            #expect(error?.code == .evidenceTypeUnknown)
            let smoke = try await world.platform(release, "migration-status", ["modules": [], "pending": 0, "result": "current"])
            #expect(smoke.platformMade && smoke.keyId == world.platformKey.publicKey.keyID)
            #expect(try await world.service.release(release.id, in: project).correlationIds == ["corr-migration-status"])
        }
    }

    @Test("a hand-made statement records its signer (the key's registrant), its attacher and the validator's facts", arguments: Backend.enabled)
    func attachedStatementRecordsSignerAndFacts(backend: Backend) async throws {
        try await withReleases(backend) { world in
            let release = try await world.create()
            let scan = try await world.attach(release, "security-scan", TestValidator.sarif(levels: ["error"], summary: "none"))
            #expect(scan.signer == caller("developer").principalId && scan.keyId == world.developerKey.publicKey.keyID)
            #expect(scan.facts["highest_severity"] == "high")
            let stored = try await world.service.release(release.id, in: project)
            #expect(stored.bundle.first { $0.field == .securityScan }?.envelope == scan.envelope)
        }
    }
}

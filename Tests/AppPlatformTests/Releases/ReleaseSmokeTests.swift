@testable import AppPlatform
import ArtifactRegistry
import Foundation
import PlatformContracts
import Synchronization
import Testing

/// The staging smoke launch: a real admission in `staging` under the request's id, timed to
/// ready from the instance's own events, stopped, and its `deploy-smoke` predicate handed to
/// the release service to sign. An image that is not the release's is refused and stopped.
@Suite("Release smoke launch")
struct ReleaseSmokeTests {
    /// Staging admits a `registered` artifact here (nothing in the fast tier signs).
    static var settings: InstanceService.Settings {
        var settings = FastTier.defaultSettings
        settings.environments["staging"] = .registered
        return settings
    }

    @Test("a smoke launches in staging under the correlation id, waits until ready, stops it and attaches deploy-smoke")
    func smokeLaunchInStagingAttachesReadyEvidence() async throws {
        try await FastTier.with(settings: Self.settings) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let digest = try #require(try await tier.ledger.artifacts(in: FastTier.project).first?.digest)
            let releases = RecordingReleases(artifacts: [digest])
            let smoke = ReleaseSmoke(instances: tier.service, catalog: tier.catalog, releases: releases)
            let evidence = try await smoke.run(release: "R1", ReleaseSmokeRequest(app: "web"), in: FastTier.project, by: FastTier.caller,
                                               grants: nil, correlationId: "req-smoke-1")
            #expect(evidence.type == "deploy-smoke")
            let attached = try #require(releases.attached.first)
            #expect(attached.type == "deploy-smoke" && attached.correlationId == "req-smoke-1")
            let predicate = try #require(try JSONSerialization.jsonObject(with: Data(attached.predicate)) as? [String: Any])
            #expect(predicate["environment"] as? String == "staging")
            #expect(predicate["result"] as? String == "ready")
            #expect(predicate["correlationId"] as? String == "req-smoke-1")
            #expect(predicate["readyWithinMs"] as? Int == 120_000, "the manifest's evidence.readyWithinMinutes (2)")
            let instance = try #require(predicate["instance"] as? String)
            #expect((predicate["timeToReadyMs"] as? Int).map { $0 >= 0 } == true)
            let record = try await tier.record(instance)
            #expect(record.environment == "staging")
            #expect(record.phase == .stopping || record.phase == .stopped, "the smoke instance is stopped once ready")
            #expect(tier.audit.recorded("apps.instance.launch").contains { $0.target == "instance/\(instance)" && $0.requestID == "req-smoke-1" })
            #expect(tier.audit.recorded("apps.instance.stop").contains { $0.target == "instance/\(instance)" && $0.requestID == "req-smoke-1" })
        }
    }

    @Test("a smoke that never gets ready records result failed with the time it took to fail, within the manifest's limit")
    func smokeThatNeverGetsReadyRecordsFailed() async throws {
        try await FastTier.with(settings: Self.settings) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.prober.ready = false
            let digest = try #require(try await tier.ledger.artifacts(in: FastTier.project).first?.digest)
            let releases = RecordingReleases(artifacts: [digest])
            let smoke = ReleaseSmoke(instances: tier.service, catalog: tier.catalog, releases: releases)
            let running = Task {
                try await smoke.run(release: "R1", ReleaseSmokeRequest(app: "web"), in: FastTier.project, by: FastTier.caller,
                                    grants: nil, correlationId: "req-smoke-4")
            }
            // The supervisor fails the launch with health-timeout once the manifest's 2 minutes pass on its clock.
            for _ in 0..<200 where releases.attached.isEmpty { try await tier.advance(by: .seconds(1)) }
            _ = try await running.value
            let attached = try #require(releases.attached.first)
            let predicate = try #require(try JSONSerialization.jsonObject(with: Data(attached.predicate)) as? [String: Any])
            #expect(predicate["result"] as? String == "failed")
            let elapsed = try #require(predicate["timeToReadyMs"] as? Int)
            #expect(elapsed >= 120_000 && elapsed < 200_000, "from acceptance to the failure: \(elapsed) ms")
        }
    }

    @Test("a smoke of an app whose image is not an artifact of the release is refused and its instance stopped")
    func smokeOfAnImageOutsideTheReleaseIsRefusedAndStopped() async throws {
        try await FastTier.with(settings: Self.settings) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let releases = RecordingReleases(artifacts: ["sha256:" + String(repeating: "0", count: 64)])
            let smoke = ReleaseSmoke(instances: tier.service, catalog: tier.catalog, releases: releases)
            do {
                _ = try await smoke.run(release: "R1", ReleaseSmokeRequest(app: "web"), in: FastTier.project, by: FastTier.caller,
                                        grants: nil, correlationId: "req-smoke-2")
                Issue.record("a smoke of a foreign image was accepted")
            } catch let error as PlatformError {
                #expect(error.code == .releaseInvalid, "\(error)")
            }
            #expect(releases.attached.isEmpty)
            let launched = try #require(try await tier.service.list(in: FastTier.project).first)
            #expect(launched.phase == .stopping || launched.phase == .stopped, "\(launched.phase)")
        }
    }

    @Test("a caller without apps:instance:launch cannot smoke (no launch happens)")
    func smokeNeedsTheLaunchScope() async throws {
        try await FastTier.with(settings: Self.settings) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let releases = RecordingReleases(artifacts: [])
            let smoke = ReleaseSmoke(instances: tier.service, catalog: tier.catalog, releases: releases)
            let grants = Grants(keyScopes: ["release:write"], heldScopes: ["release:write"], registeredScopes: ["release:write", "apps:instance:launch"])
            await #expect(throws: PlatformError.self) {
                _ = try await smoke.run(release: "R1", ReleaseSmokeRequest(app: "web"), in: FastTier.project, by: FastTier.caller,
                                        grants: grants, correlationId: "req-smoke-3")
            }
            #expect(try await tier.service.list(in: FastTier.project).isEmpty)
        }
    }
}

/// A release service holding one candidate and recording what the platform asked it to sign.
final class RecordingReleases: ReleaseManagement {
    struct Attached: Sendable { var type: String; var predicate: [UInt8]; var correlationId: String? }
    let artifacts: [String]
    private let log = Mutex<[Attached]>([])
    var attached: [Attached] { log.withLock { $0 } }

    init(artifacts: [String]) { self.artifacts = artifacts }

    func release(_ id: String, in project: Project) async throws -> Release {
        Release(id: id, projectId: project.id, tenantId: project.tenantId, environment: "production", artifacts: artifacts,
                sourceSha: String(repeating: "a", count: 40), branch: "main", state: .candidate, createdBy: "someone", createdAt: "t")
    }
    func attachPlatformEvidence(type: String, predicate: [UInt8], to id: String, in project: Project, by caller: Caller,
                                correlationId: String?, requestID: String?) async throws -> ReleaseEvidence {
        log.withLock { $0.append(Attached(type: type, predicate: predicate, correlationId: correlationId)) }
        return ReleaseEvidence(id: "E", type: type, predicateType: "p", envelope: "sha256:e", keyId: "platform", signer: "platform",
                               attachedBy: caller.principalId, attachedAt: "t", platformMade: true)
    }
    func create(_ request: ReleaseRequest, in project: Project, by caller: Caller, requestID: String?) async throws -> Release { throw unused }
    func releases(in project: Project) async throws -> [Release] { throw unused }
    func attach(_ request: ReleaseEvidenceRequest, to id: String, in project: Project, by caller: Caller, requestID: String?) async throws
        -> ReleaseEvidence { throw unused }
    func approve(_ request: ReleaseApprovalRequest, release id: String, in project: Project, by caller: Caller, requestID: String?) async throws
        -> Release { throw unused }
    func evaluate(release id: String, in project: Project, by caller: Caller, record: Bool, requestID: String?) async throws
        -> ReleaseDecision { throw unused }
    func markPromoted(release id: String, decision: String, in project: Project, by caller: Caller, correlationId: String?,
                      requestID: String?) async throws -> Release { throw unused }
    func envelope(_ digest: String, release id: String, in project: Project) async throws -> SignedEnvelope {
        throw PlatformError(.releaseNotFound, "no envelopes here")
    }
    func platformKey() -> (keyId: String, publicKeyPEM: String) { ("platform", "") }
    func readiness() async throws -> [EnvironmentReadiness] { [] }
    var unused: PlatformError { PlatformError(.internalError, "not used by the smoke") }
}

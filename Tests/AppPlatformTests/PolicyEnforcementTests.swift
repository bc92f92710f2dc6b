@testable import AppPlatform
import ArtifactRegistry
import Crypto
import Foundation
import NIOCore
import PlatformContracts
import Testing

/// Flags and product access where they matter outside admission (issue 18 points 2, 4, 5):
/// the `connect.ssh` flag at connect, and in the registry `access.artifact_types`,
/// `quota.registry_storage_bytes` and the snapshot a promotion records.
@Suite("Policy enforcement at connect and in the registry")
struct PolicyEnforcementTests {
    /// The test app with an `ssh` endpoint, an ssh connect action `shell` and a web action `open`.
    static let sshApp = TestManifests.app("shell").replacingOccurrences(
        of: "    protocol: http\n", with: "    protocol: http\n  - name: ssh\n    port: 2222\n    protocol: ssh\n")
        + "connect:\n  - name: shell\n    type: ssh\n    endpoint: ssh\n  - name: open\n    type: web\n    endpoint: http\n"

    @Test("with connect.ssh off an ssh connect action is refused policy.feature_disabled (audited with the snapshot); web actions still open")
    func sshFlagOffRefusesSSHConnect() async throws {
        let snapshot = TestPolicy.snapshot(id: "01JSSHFLAG0FFSNAPSH0T00000", ["connect.ssh": .flag(false)])
        try await FastTier.with(policy: snapshot) { tier in
            let connect = try await ConnectTrafficIdleStopTests.connectService(tier)
            try await tier.register(Self.sshApp)
            try await tier.pushArtifact()
            let record = try await tier.launch("shell")
            try await tier.waitFor(record.id, .ready)
            do {
                _ = try await connect.open(project: FastTier.project, instance: record.id, ConnectRequest(action: "shell"), by: FastTier.caller,
                                           requestID: nil)
                Issue.record("an ssh session opened with connect.ssh off")
            } catch let error as PlatformError {
                #expect(error.code == .policyFeatureDisabled && error.details["flag"] == "connect.ssh", "\(error.message)")
            }
            let denial = try #require(tier.audit.recorded("apps.connect.deny").last)
            #expect(denial.details["code"] == ErrorCode.policyFeatureDisabled.rawValue && denial.details["policy_snapshot"] == snapshot.id)
            _ = try await connect.open(project: FastTier.project, instance: record.id, ConnectRequest(action: "open"), by: FastTier.caller,
                                       requestID: nil)
            #expect(tier.audit.recorded("apps.connect.start").last?.details["policy_snapshot"] == snapshot.id)

            tier.policy.current = TestPolicy.snapshot(id: "01JSSHFLAG0NSNAPSH0T000000", ["connect.ssh": .flag(true)])
            _ = try await connect.open(project: FastTier.project, instance: record.id, ConnectRequest(action: "shell"), by: FastTier.caller,
                                       requestID: nil)
            #expect(tier.audit.recorded("apps.connect.start").last?.details["policy_snapshot"] == "01JSSHFLAG0NSNAPSH0T000000")
        }
    }

    @Test("a push that would take the project past quota.registry_storage_bytes is refused artifact.storage_quota_exceeded")
    func storageQuotaRefusesAPush() async throws {
        // The test image's config blob is 37 bytes; its manifest a few hundred.
        try await FastTier.with(policy: TestPolicy.snapshot(["quota.registry_storage_bytes": .integer(10)])) { tier in
            try await Self.expectPushRefused(tier, .artifactStorageQuotaExceeded)
            tier.policy.current = TestPolicy.snapshot(id: "01JST0RAGEQU0TA2SNAPSH0T00", ["quota.registry_storage_bytes": .integer(100)])
            try await Self.expectPushRefused(tier, .artifactStorageQuotaExceeded)
            let stored = try await tier.registry.storedBytes(project: FastTier.project.id)
            #expect(stored == 37, "the config blob was linked; the manifest was refused")
            tier.policy.current = TestPolicy.snapshot(id: "01JST0RAGEQU0TA3SNAPSH0T00", ["quota.registry_storage_bytes": .integer(4096)])
            try await tier.pushArtifact()
        }
    }

    @Test("an artifact type outside access.artifact_types is refused policy.feature_disabled; an allowed one is stored")
    func artifactTypeNotAllowedRefusesAPush() async throws {
        try await FastTier.with(policy: TestPolicy.snapshot(["access.artifact_types": .list(["model"])])) { tier in
            try await Self.expectPushRefused(tier, .policyFeatureDisabled)
            tier.policy.current = TestPolicy.snapshot(id: "01JARTIFACTTYPESALL0WED000", ["access.artifact_types": .list(["app-image"])])
            try await tier.pushArtifact()
        }
    }

    @Test("a promotion's audit names the policy snapshot; a stale policy refuses it with policy.stale")
    func promotionRecordsItsPolicySnapshot() async throws {
        try await FastTier.with { tier in
            try await tier.pushArtifact()
            let digest = try #require(try await tier.registry.manifestDigest(repository: "\(FastTier.project.id.lowercased())/demo", reference: "1.0.0"))
            tier.policy.stale = true
            await #expect(throws: PlatformError.self) {
                try await tier.ledger.promote(in: FastTier.project, digest: digest, to: .quarantined, by: FastTier.caller, requestID: nil)
            }
            tier.policy.stale = false
            let moved = try await tier.ledger.promote(in: FastTier.project, digest: digest, to: .quarantined, by: FastTier.caller, requestID: nil)
            #expect(moved.state == .quarantined)
            #expect(tier.audit.recorded("artifacts.trust.transition").last?.details["policy_snapshot"] == tier.policy.current.id)
        }
    }

    /// Pushes the test image expecting a refusal with `code`.
    static func expectPushRefused(_ tier: FastTier, _ code: ErrorCode, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        do {
            try await tier.pushArtifact()
            Issue.record("the push was stored instead of refused with \(code.rawValue)", sourceLocation: sourceLocation)
        } catch let error as PlatformError {
            #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
            #expect(error.details["policy_snapshot"] == tier.policy.current.id, sourceLocation: sourceLocation)
        }
    }
}

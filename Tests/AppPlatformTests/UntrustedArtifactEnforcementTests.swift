@testable import AppPlatform
import ArtifactRegistry
import OCIKit
import PlatformContracts
import PlatformTestKit
import Testing

/// Revocation reaches running instances: when an artifact is quarantined, revoked or demoted
/// below its environment, its running instances are flagged (the default) or stopped (with
/// `artifacts.quarantine_stops_instances` on), audited either way.
@Suite("Running instances of an untrusted artifact")
struct UntrustedArtifactEnforcementTests {
    static func digest(of record: InstanceRecord) throws -> String {
        try #require(record.image.split(separator: "@").last.map(String.init))
    }

    @Test("a quarantined artifact flags its running instance by default (audited apps.instance.flag, shown on the record); other digests are left alone")
    func quarantineFlagsRunningInstancesByDefault() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .ready)
            let digest = try Self.digest(of: record)

            let untouched = try await tier.service.enforceTrust(
                in: FastTier.project, changes: [ArtifactTrustChange(digest: "sha256:" + String(repeating: "0", count: 64), from: .verified, to: .quarantined)],
                by: FastTier.caller, requestID: "R0")
            #expect(untouched.isEmpty)

            let acted = try await tier.service.enforceTrust(
                in: FastTier.project, changes: [ArtifactTrustChange(digest: digest, from: .registered, to: .quarantined)],
                by: FastTier.caller, requestID: "R1")
            #expect(acted.map(\.id) == [record.id])
            let now = try await tier.record(record.id)
            #expect(now.phase == .ready, "flagged, not stopped")
            #expect(now.trustFlag?.contains("quarantined") == true, "\(String(describing: now.trustFlag))")
            let flag = try #require(tier.audit.recorded("apps.instance.flag").last)
            #expect(flag.target == "instance/\(record.id)" && flag.details["reason"] == "artifact-untrusted" && flag.requestID == "R1")

            // Flagging again for the same reason writes nothing new.
            _ = try await tier.service.enforceTrust(
                in: FastTier.project, changes: [ArtifactTrustChange(digest: digest, from: .registered, to: .quarantined)],
                by: FastTier.caller, requestID: "R2")
            #expect(tier.audit.recorded("apps.instance.flag").count == 1)
        }
    }

    @Test("with artifacts.quarantine_stops_instances on, a revoked artifact's running instance is stopped (cause artifact-untrusted, audited)")
    func revocationStopsRunningInstancesWhenPolicySaysSo() async throws {
        let policy = TestPolicy.snapshot(id: "01JTESTP0L1CYQUARANT1NE000", ["artifacts.quarantine_stops_instances": .flag(true)])
        try await FastTier.with(policy: policy) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .ready)
            _ = try await tier.service.enforceTrust(
                in: FastTier.project, changes: [ArtifactTrustChange(digest: try Self.digest(of: record), from: .registered, to: .revoked)],
                by: FastTier.caller, requestID: "R1")
            #expect(try await tier.record(record.id).phase == .stopping)
            try await tier.advance(by: .seconds(12))
            try await tier.advance(by: .seconds(2))
            try await tier.waitFor(record.id, .stopped)
            let stop = try #require(tier.audit.recorded("apps.instance.stop").last)
            #expect(stop.details["stop_cause"] == StopCause.artifactUntrusted.rawValue && stop.details["reason"] == "artifact-untrusted")
            #expect(stop.details["trust_state"] == "revoked")
            #expect(tier.audit.recorded("apps.instance.flag").isEmpty)
        }
    }

    @Test("an artifact quarantined without the route acting (a crash in between) is caught by the supervisor's next sweep, once")
    func theSweepFlagsWhatTheRouteMissed() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .ready)
            _ = try await tier.ledger.promote(in: FastTier.project, digest: try ContentDigest(parsing: try Self.digest(of: record)),
                                              to: .quarantined, by: FastTier.caller, requestID: nil)
            #expect(try await tier.record(record.id).trustFlag == nil, "nothing acted yet")
            try await tier.advance(by: .seconds(6))
            var flagged: String?
            for _ in 0..<50 where flagged == nil {
                flagged = try await tier.record(record.id).trustFlag
                if flagged == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(flagged?.contains("quarantined") == true, "\(String(describing: flagged))")
            let flag = try #require(tier.audit.recorded("apps.instance.flag").last)
            #expect(flag.actor.rawValue == "platformd")
            try await tier.advance(by: .seconds(6))
            #expect(tier.audit.recorded("apps.instance.flag").count == 1, "the next sweep finds it already flagged")
        }
    }

    @Test("a demotion that still meets the environment's requirement leaves the instance alone")
    func demotionWithinTheEnvironmentsRequirementIsIgnored() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .ready)
            // development requires `registered` in the fast tier: verified → registered still meets it.
            let acted = try await tier.service.enforceTrust(
                in: FastTier.project, changes: [ArtifactTrustChange(digest: try Self.digest(of: record), from: .verified, to: .registered)],
                by: FastTier.caller, requestID: nil)
            #expect(acted.isEmpty)
            #expect(try await tier.record(record.id).trustFlag == nil)
        }
    }
}

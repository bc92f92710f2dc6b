@testable import AppPlatform
import PlatformContracts
import Testing

/// The audit read model's correlation: every lifecycle record after a launch carries the
/// launch's request id as `details.correlationId` (a release smoke launches under its
/// correlation id), so that id finds the launch (its request), readiness and the stop.
@Suite("Launch correlation ids on lifecycle audit records")
struct LaunchCorrelationTests {
    @Test("ready and stop records carry the launch's request id as details.correlationId; the stop keeps its own request id")
    func lifecycleRecordsCarryTheLaunchRequestID() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.service.launch(in: FastTier.project, LaunchRequest(app: "web"), by: FastTier.caller,
                                                      requestID: "req-launch-1")
            try await tier.waitFor(record.id, .ready)
            try await tier.stop(record.id, requestID: "req-stop-1")
            let target = "instance/\(record.id)"
            let launch = try #require(tier.audit.recorded("apps.instance.launch").first { $0.target == target })
            #expect(launch.requestID == "req-launch-1")
            let ready = try #require(tier.audit.recorded("apps.instance.ready").first { $0.target == target })
            #expect(ready.details["correlationId"] == "req-launch-1")
            #expect(ready.outcome == .success)
            let stop = try #require(tier.audit.recorded("apps.instance.stop").first { $0.target == target })
            #expect(stop.requestID == "req-stop-1")
            #expect(stop.details["correlationId"] == "req-launch-1")
            // The id survives a reload of the row (a restarted supervisor reads it from the store).
            let stored = try await tier.service.repository.find(record.id)
            #expect(stored?.launchRequestID == "req-launch-1")
        }
    }
}

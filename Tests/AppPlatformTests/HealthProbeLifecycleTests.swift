@testable import AppPlatform
import InMemoryRuntimeAdapter
import PlatformContracts
import RuntimeKit
import Testing

/// `health.startup` and `health.liveness` through the supervisor on the manual clock, with the
/// scripted prober answering each probe path on its own.
@Suite("Startup and liveness probes through the supervisor")
struct HealthProbeLifecycleTests {
    static let startupThenReadiness = """
          startup:
            endpoint: http
            path: /started
            periodSeconds: 5
            failureThreshold: 4
          readiness:
            endpoint: http
            path: /healthz

        """

    static let liveness = """
          liveness:
            endpoint: http
            path: /live
            periodSeconds: 10
            failureThreshold: 3

        """

    /// Waits (real time) until the stops the supervisor sent have ended the workloads, then lets
    /// the poll look again: a supervisor's stop lands between two polls.
    static func settle(_ tier: FastTier, _ ids: String..., polls: Int = 3) async throws {
        // A stop the poll sent may land after the test's last clock step (a loaded machine runs
        // the supervisor's child task late), and the twin ends a stopped workload on the clock:
        // step the clock a second at a time until each workload has ended, within the grace.
        for id in ids {
            for _ in 0..<60 where !tier.runtime.observation(of: id).state.isTerminal {
                try await tier.advance(by: .seconds(1))
            }
            try await waitUntil("\(id)'s workload ended") { tier.runtime.observation(of: id).state.isTerminal }
        }
        try await tier.advance(by: tier.settings.pollInterval * polls)
    }

    @Test("readiness is not probed until the startup probe passes")
    func startupGatesReadiness() async throws {
        try await FastTier.with { tier in
            try await tier.register(RestartPolicyTests.app("gated", health: Self.startupThenReadiness))
            try await tier.pushArtifact()
            tier.prober.answer("/started", false)
            let record = try await tier.launch("gated")
            try await tier.waitFor(record.id, .running)
            try await tier.advance(by: .seconds(12))
            #expect(try await tier.record(record.id).phase == .running, "readiness answers yes, but startup has not passed")
            tier.prober.answer("/started", true)
            try await tier.advance(by: .seconds(5))
            try await tier.waitFor(record.id, .ready)
        }
    }

    @Test("a startup probe that never passes within periodSeconds × failureThreshold ends failed(health-timeout), or restarts under on-failure")
    func startupThatNeverPassesFailsOrRestarts() async throws {
        try await FastTier.with { tier in
            try await tier.register(RestartPolicyTests.app("stuck", health: Self.startupThenReadiness))
            try await tier.register(RestartPolicyTests.app("stuck-restarting", restartPolicy: "on-failure", health: Self.startupThenReadiness))
            try await tier.pushArtifact()
            tier.prober.answer("/started", false)
            let failing = try await tier.launch("stuck")
            let restarting = try await tier.launch("stuck-restarting")
            try await tier.advance(by: .seconds(14))
            #expect(try await tier.record(failing.id).phase == .running, "three failed looks of four")
            try await tier.advance(by: .seconds(2))
            try await Self.settle(tier, failing.id, restarting.id)
            try await tier.waitFor(failing.id, .failed(.healthTimeout))
            let again = try await tier.record(restarting.id)
            #expect(again.restartCount == 1 && !again.isTerminal, "\(again.phase) \(again.message ?? "")")
            let restart = tier.audit.recorded("apps.instance.restart").first
            #expect(restart?.details["message"]?.contains("startup probe on http failed 4 times") == true, "\(String(describing: restart))")
        }
    }

    @Test("failureThreshold liveness failures in a row restart a ready instance under always, and fail it liveness under never")
    func livenessRestartsOrFails() async throws {
        try await FastTier.with { tier in
            try await tier.register(RestartPolicyTests.app("live-restart", restartPolicy: "always", health: Self.liveness))
            try await tier.register(RestartPolicyTests.app("live-fail", health: Self.liveness))
            try await tier.pushArtifact()
            let restarting = try await tier.launch("live-restart")
            let failing = try await tier.launch("live-fail")
            try await tier.waitFor(restarting.id, .ready)
            try await tier.waitFor(failing.id, .ready)
            try await tier.advance(by: .seconds(30))
            #expect(try await tier.record(restarting.id).restartCount == 0, "liveness answers while it is alive")
            tier.prober.answer("/live", false)
            try await tier.advance(by: .seconds(20))
            #expect(try await tier.record(failing.id).phase == .ready, "two failures of three")
            try await tier.advance(by: .seconds(10))
            tier.prober.answer("/live", true)
            try await Self.settle(tier, failing.id, restarting.id)
            try await tier.waitFor(failing.id, .failed(.liveness))
            try await tier.waitFor(restarting.id, .ready)
            let record = try await tier.record(restarting.id)
            #expect(record.restartCount == 1)
            let phases = try await tier.phases(restarting.id)
            #expect(phases.suffix(4) == [.ready, .starting, .running, .ready], "\(phases)")
            #expect(tier.audit.recorded("apps.instance.restart").first?.details["message"]?.contains("liveness probe on http failed 3 times") == true)
        }
    }
}

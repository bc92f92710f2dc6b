@testable import AppPlatform
import Foundation
import PlatformContracts
import Testing

/// `lifecycle.restartPolicy`, crash-loop detection and `lifecycle.maxRuntimeMinutes` through
/// the supervisor on the manual clock: restarts are due-at times the poll acts on, so the
/// backoff's seconds pass in milliseconds and the poll stays the only sleeper on the clock.
@Suite("Restart policy, crash loops and max runtime through the supervisor")
struct RestartPolicyTests {
    /// A fast-tier app with a lifecycle block (and, when given, a `health:` body).
    static func app(_ name: String, mode: String = "service", restartPolicy: String? = nil, maxRuntimeMinutes: Int? = nil,
                    health: String? = nil) -> String {
        var text = TestManifests.app(name, mode: mode, readiness: false)
        var lifecycle: [String] = []
        if let restartPolicy { lifecycle.append("  restartPolicy: \(restartPolicy)") }
        if let maxRuntimeMinutes { lifecycle.append("  maxRuntimeMinutes: \(maxRuntimeMinutes)") }
        if !lifecycle.isEmpty { text += "lifecycle:\n" + lifecycle.joined(separator: "\n") + "\n" }
        if let health { text += "health:\n" + health }
        return text
    }

    /// Milliseconds of an event's time.
    static func ms(_ event: InstanceEvent) -> Int64 { Int64(Timestamp(rfc3339: event.at)?.millisecondsSinceEpoch ?? 0) }

    @Test("a crash-looping app restarts with backoff doubling from 1 s, then ends failed(crash-loop) after the policy's restarts",
          arguments: FastTier.Database.enabled)
    func crashLoopEndsFailedAfterThePolicysRestarts(_ database: FastTier.Database) async throws {
        try await FastTier.with(database: database) { tier in
            try await tier.register(Self.app("crashy", restartPolicy: "on-failure"))
            try await tier.pushArtifact()
            let record = try await tier.launch("crashy", params: ["behaviour": "crash"])
            try await tier.waitFor(record.id, .ready)
            try await tier.advance(by: .seconds(90))
            try await tier.waitFor(record.id, .failed(.crashLoop))

            let ended = try await tier.record(record.id)
            #expect(ended.restartCount == 5, "lifecycle.crash_loop_restarts is 5")
            #expect(ended.lastExitCode == 1)
            #expect(ended.message?.contains("exited with status 1") == true, "the last exit is in the message: \(ended.message ?? "")")
            let restarts = tier.audit.recorded("apps.instance.restart")
            #expect(restarts.map { $0.details["delaySeconds"] } == ["1", "2", "4", "8", "16"])
            #expect(restarts.allSatisfy { $0.actor.rawValue == "platformd" && $0.details["exitCode"] == "1" })

            // The one backward move, five times: ready → starting → running → ready.
            let events = try await tier.service.events(in: FastTier.project, id: record.id, after: 0)
            var expected: [InstancePhase] = [.accepted, .scheduled]
            for _ in 0..<6 { expected += [.starting, .running, .ready] }
            expected.append(.failed(.crashLoop))
            let phases = events.map(\.phase)
            #expect(phases == expected)
            // Each restart's run begins its backoff after the restart was scheduled, not sooner.
            let restarting = events.indices.filter { $0 > 2 && events[$0].phase == .starting }
            for (number, index) in restarting.enumerated() {
                let waited = Self.ms(events[index + 1]) - Self.ms(events[index])
                let backoff = Int64(1000 << number)
                #expect(waited >= backoff && waited <= backoff + 1000, "restart \(number + 1) waited \(waited) ms, backoff \(backoff) ms")
            }
            // The log is appended across restarts, not replaced.
            let log = try await tier.service.logs(in: FastTier.project, id: record.id, from: 0).text
            #expect(log.components(separatedBy: "run of \(record.id)").count - 1 == 6, "\(log)")
        }
    }

    @Test("the crash-loop limit is the project's policy, and a run of ten minutes resets the count")
    func longRunsResetTheCount() async throws {
        var settings = FastTier.defaultSettings
        settings.pollInterval = .seconds(30)
        try await FastTier.with(settings: settings, policy: TestPolicy.snapshot(["lifecycle.crash_loop_restarts": .integer(1)])) { tier in
            try await tier.register(Self.app("slowcrash", restartPolicy: "on-failure"))
            try await tier.pushArtifact()
            let late = try await tier.launch("slowcrash", params: ["behaviour": "crash-late"])
            let fast = try await tier.launch("slowcrash", params: ["behaviour": "crash"])
            try await tier.advance(by: .seconds(40 * 60))
            let survivor = try await tier.record(late.id)
            #expect(!survivor.isTerminal, "each 11-minute run resets the count: \(survivor.phase)")
            #expect(survivor.restartCount == 1)
            #expect(tier.audit.recorded("apps.instance.restart").filter { $0.target == "instance/\(late.id)" }.count == 3)
            let crashed = try await tier.record(fast.id)
            #expect(crashed.phase == .failed(.crashLoop), "a limit of 1: the second 5-second run's failure ends it")
            #expect(crashed.restartCount == 1)
        }
    }

    @Test("on-failure leaves a clean exit alone; always restarts it; never (the default) restarts nothing")
    func policiesDecideWhichEndsRestart() async throws {
        try await FastTier.with { tier in
            try await tier.register(Self.app("onfail", restartPolicy: "on-failure"))
            try await tier.register(Self.app("always", restartPolicy: "always"))
            try await tier.register(Self.app("never"))
            try await tier.pushArtifact()
            let onFailure = try await tier.launch("onfail", params: ["behaviour": "exit0"])
            let always = try await tier.launch("always", params: ["behaviour": "exit0"])
            let never = try await tier.launch("never", params: ["behaviour": "exit3"])
            try await tier.advance(by: .seconds(93))
            try await tier.waitFor(onFailure.id, .stopped)
            try await tier.waitFor(never.id, .failed(.exitNonZero))
            #expect(try await tier.record(always.id).restartCount == 1)
            #expect(try await tier.record(always.id).lastExitCode == 0)
            #expect(try await tier.record(always.id).phase == .ready, "restarted 1 s after its exit")
            #expect(try await tier.record(onFailure.id).restartCount == 0)
            #expect(try await tier.record(never.id).restartCount == 0)
        }
    }

    @Test("a stop while a restart waits ends the instance stopped without starting it again")
    func stopDuringBackoffEndsStopped() async throws {
        try await FastTier.with { tier in
            try await tier.register(Self.app("crashy", restartPolicy: "always"))
            try await tier.pushArtifact()
            let record = try await tier.launch("crashy", params: ["behaviour": "crash"])
            try await tier.waitFor(record.id, .ready)
            try await tier.advance(by: .seconds(5))
            try await tier.waitFor(record.id, .starting)
            _ = try await tier.service.stop(in: FastTier.project, id: record.id, by: FastTier.caller, requestID: nil)
            try await tier.advance(by: .seconds(3))
            try await tier.waitFor(record.id, .stopped)
            #expect(tier.adapter.starts == 1, "the restart never ran")
        }
    }

    @Test("maxRuntimeMinutes stops a service and a job at the limit, ending failed(timeout)")
    func maxRuntimeEndsFailedTimeout() async throws {
        var settings = FastTier.defaultSettings
        settings.pollInterval = .seconds(10)
        try await FastTier.with(settings: settings) { tier in
            try await tier.register(Self.app("bounded", maxRuntimeMinutes: 2))
            try await tier.register(Self.app("batch", mode: "job", maxRuntimeMinutes: 2))
            try await tier.pushArtifact()
            let service = try await tier.launch("bounded")
            let job = try await tier.launch("batch")
            try await tier.waitFor(service.id, .ready)
            try await tier.advance(by: .seconds(110))
            #expect(try await tier.record(service.id).phase == .ready, "10 s short of the limit")
            #expect(try await tier.record(job.id).phase == .running)
            try await tier.advance(by: .seconds(10))
            try await HealthProbeLifecycleTests.settle(tier, service.id, job.id, polls: 1)
            try await tier.waitFor(service.id, .failed(.timeout))
            try await tier.waitFor(job.id, .failed(.timeout))
            #expect(tier.audit.recorded("apps.instance.stop").contains { $0.details["message"]?.contains("maxRuntimeMinutes (2)") == true })
        }
    }

    @Test("args follow the command: the process gets them substituted")
    func argsReachTheProcess() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("argy", readiness: false) + """
                args: ["--size", "${params.size}", "two words"]

                """)
            try await tier.pushArtifact()
            let record = try await tier.launch("argy", params: ["behaviour": "serve-args", "size": "7"])
            try await tier.waitFor(record.id, .ready)
            let log = try await tier.service.logs(in: FastTier.project, id: record.id, from: 0).text
            #expect(log.contains("args=--size|7|two words"), "\(log)")
        }
    }
}

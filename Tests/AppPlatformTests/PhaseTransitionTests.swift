@testable import AppPlatform
import PlatformContracts
import InMemoryRuntimeAdapter
import RuntimeKit
import Testing

/// Every phase an instance can go through, driven through the supervisor by the twin's
/// behaviours and the manual clock; the event log (`GET …/events`) is checked in order.
@Suite("Instance phase transitions through the supervisor")
struct PhaseTransitionTests {
    static func ready(_ tier: FastTier, app: String = "web", params: [String: String]? = nil) async throws -> InstanceRecord {
        let record = try await tier.launch(app, params: params)
        #expect(record.phase == .accepted)
        try await tier.waitFor(record.id, .ready)
        return record
    }

    @Test("a service goes accepted → scheduled → starting → running → ready → stopping → stopped")
    func serviceRunsAndStops() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await Self.ready(tier)
            #expect(try await tier.record(record.id).node == "memory")
            let stopping = try await tier.stop(record.id, requestID: "r1")
            #expect(stopping.phase == .stopping)
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(record.id, .stopped)
            #expect(try await tier.phases(record.id) == [.accepted, .scheduled, .starting, .running, .ready, .stopping, .stopped])
            let events = try await tier.service.events(in: FastTier.project, id: record.id, after: 0)
            #expect(events.map(\.seq) == Array(1...7), "events are numbered in order")
            #expect(try await tier.service.events(in: FastTier.project, id: record.id, after: 5).map(\.phase) == [.stopping, .stopped])
            #expect(tier.audit.recorded("apps.instance.launch").count == 1)
            #expect(tier.audit.recorded("apps.instance.stop").map(\.requestID) == ["r1"])
            // Stopping a terminal instance returns it unchanged.
            #expect(try await tier.service.stop(in: FastTier.project, id: record.id, by: FastTier.caller, requestID: nil).phase == .stopped)
        }
    }

    @Test("a workload pending in the runtime stays starting with the runtime's reason, then runs")
    func pendingWorkloadWaitsInStarting() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web", params: ["behaviour": "slow"])
            try await tier.waitFor(record.id, .starting)
            try await tier.advance(by: .seconds(2))
            #expect(try await tier.record(record.id).message == "pending: Resources")
            try await tier.advance(by: .seconds(20))
            try await tier.waitFor(record.id, .ready)
        }
    }

    @Test("a job that exits 0 ends succeeded, never ready")
    func jobSucceeds() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("batch", mode: "job"))
            try await tier.pushArtifact()
            let record = try await tier.launch("batch", params: ["behaviour": "exit0"])
            try await tier.waitFor(record.id, .running)
            try await tier.advance(by: .seconds(89))
            #expect(try await tier.record(record.id).phase == .running)
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(record.id, .succeeded)
            #expect(try await tier.phases(record.id) == [.accepted, .scheduled, .starting, .running, .succeeded])
            #expect(record.mode == .job)
        }
    }

    @Test("an exit with a non-zero status ends failed(exit-nonzero), audited as apps.instance.fail")
    func nonZeroExitFails() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await Self.ready(tier, params: ["behaviour": "exit3"])
            try await tier.advance(by: .seconds(30))
            try await tier.waitFor(record.id, .failed(.exitNonZero))
            #expect(try await tier.phases(record.id) == [.accepted, .scheduled, .starting, .running, .ready, .failed(.exitNonZero)])
            #expect(try await tier.record(record.id).message == "exited with status 3")
            #expect(tier.audit.recorded("apps.instance.fail").map { $0.details["reason"] } == ["exit-nonzero"])
        }
    }

    @Test("a start the runtime refuses ends failed(start) and leaves no workload")
    func startFailureFails() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web", params: ["behaviour": "broken"])
            try await tier.waitFor(record.id, .failed(.start))
            #expect(try await tier.phases(record.id) == [.accepted, .scheduled, .starting, .failed(.start)])
            #expect(try await tier.record(record.id).message == "exec format error")
            #expect(tier.runtime.instanceIds.isEmpty)
        }
    }

    @Test("capacity gone between admission and start ends failed(placement)")
    func capacityRefusedAtStartFails() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.adapter.failStarts(with: PlatformError(.runtimePlacementUnsatisfiable, "the node filled up", details: ["reason": "capacity"]))
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .failed(.placement))
            #expect(try await tier.phases(record.id) == [.accepted, .scheduled, .starting, .failed(.placement)])
        }
    }

    @Test("a workload the runtime forgets ends failed(lost)")
    func lostWorkloadFails() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await Self.ready(tier, params: ["behaviour": "lost"])
            try await tier.advance(by: .seconds(30))
            try await tier.waitFor(record.id, .failed(.lost))
            #expect(try await tier.phases(record.id).last == .failed(.lost))
        }
    }

    @Test("no readiness by the manifest's deadline: stopped, and ended failed(health-timeout) from the stop cause")
    func healthDeadlineFails() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web", readyWithinMinutes: 2))
            try await tier.pushArtifact()
            tier.prober.ready = false
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .running)
            try await tier.advance(by: .seconds(119))
            #expect(try await tier.record(record.id).phase == .running, "not before the deadline")
            try await tier.advance(by: .seconds(3))
            try await tier.waitFor(record.id, .failed(.healthTimeout))
            #expect(try await tier.phases(record.id) == [.accepted, .scheduled, .starting, .running, .stopping, .failed(.healthTimeout)])
        }
    }

    @Test("without a readiness probe a service is ready once running")
    func noProbeIsReadyWhenRunning() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web", readiness: false))
            try await tier.pushArtifact()
            tier.prober.ready = false
            let record = try await Self.ready(tier)
            #expect(try await tier.record(record.id).message == "running (no readiness probe)")
        }
    }
}

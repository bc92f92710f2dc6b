@testable import AppPlatform
import PlatformContracts
import Synchronization
import Testing

/// Idle stop and metering, through the supervisor on the manual clock: minutes of
/// `lifecycle.idleStopMinutes` and metering intervals pass in milliseconds.
@Suite("Idle stop and metering through the supervisor")
struct IdleStopAndMeteringTests {
    @Test("an instance with no connect activity for idleStopMinutes is stopped; activity postpones it")
    func idleInstanceIsStoppedAndActivityPostponesIt() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("notebook", idleStopMinutes: 2))
            try await tier.pushArtifact()
            let record = try await tier.launch("notebook")
            try await tier.waitFor(record.id, .ready)
            try await tier.advance(by: .seconds(90))
            tier.service.activity.note(record.id, atMs: tier.clock.nowMilliseconds())
            try await tier.advance(by: .seconds(90))
            #expect(try await tier.record(record.id).phase == .ready, "3 min after start but 1.5 min after activity")
            try await tier.advance(by: .seconds(29))
            #expect(try await tier.record(record.id).phase == .ready, "1 s short of 2 idle minutes")
            try await tier.advance(by: .seconds(2))
            try await tier.waitFor(record.id, .stopped)
            #expect(try await tier.phases(record.id) == [.accepted, .scheduled, .starting, .running, .ready, .stopping, .stopped])
            let stop = tier.audit.recorded("apps.instance.stop").last
            #expect(stop?.actor.rawValue == "platformd" && stop?.details["message"]?.hasPrefix("idle: no connect activity for 2 min") == true)
        }
    }

    @Test("an app without idleStopMinutes is never stopped for idleness")
    func noIdleStopWithoutTheSetting() async throws {
        var settings = FastTier.defaultSettings
        settings.pollInterval = .seconds(30)
        try await FastTier.with(settings: settings) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .ready)
            try await tier.advance(by: .seconds(600))
            #expect(try await tier.record(record.id).phase == .ready)
        }
    }

    @Test("metering records one event per unit per whole interval while running and the partial last one at the stop")
    func meteringIntervalsThroughTheSupervisor() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web", gpus: "2")
            try await tier.waitFor(record.id, .ready)
            try await tier.advance(by: .seconds(59))
            #expect(tier.usage.recorded.withLock { $0.isEmpty }, "no interval is whole yet")
            try await tier.advance(by: .seconds(91))
            #expect(tier.usage.recorded.withLock { $0.map(\.id) } == [
                "\(record.id)/app-runtime-hour/0", "\(record.id)/gpu-hour.h100/0", "\(record.id)/app-runtime-hour/1", "\(record.id)/gpu-hour.h100/1",
            ])
            try await tier.stop(record.id)
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(record.id, .stopped)
            let usage = try await Self.usage(tier, record.id, intervals: 3)
            #expect(usage.totals.map(\.unit) == ["app-runtime-hour", "gpu-hour.h100"], "GPU time is metered per placed model")
            #expect(usage.totals.map(\.quantity) == [150, 300])
            #expect(usage.totals.map(\.intervals) == [3, 3])
        }
    }

    /// The instance's usage once `intervals` intervals per unit are recorded (the last one is
    /// recorded by the final-usage subscriber, just after the terminal phase).
    static func usage(_ tier: FastTier, _ id: String, intervals: Int) async throws -> InstanceUsage {
        try await waitUntil("\(intervals) intervals of \(id) are recorded") {
            let totals = try await tier.service.usage(in: FastTier.project, id: id).totals
            return !totals.isEmpty && totals.allSatisfy { $0.intervals == intervals }
        }
        return try await tier.service.usage(in: FastTier.project, id: id)
    }

    @Test("an instance that ended without its final usage (a crash between the two) is metered at the next start-up, once")
    func restartMetersTheUsageACrashLeftUnrecorded() async throws {
        try await FastTier.with(start: false) { tier in
            let repository = InstanceRepository(store: tier.store, audit: tier.audit)
            let start = tier.clock.nowMilliseconds() - 600_000
            var ended = try InstanceRowFixture.row(id: "01JENDEDUNMETERED000000000", project: FastTier.project.id, gpuCount: 1)
            try await repository.appendEvent(ended, message: "admitted", at: ended.createdAt, creating: true)
            (ended.phase, ended.runningSinceMs, ended.finishedAtMs, ended.meteredThrough) = (.stopped, start, start + 150_000, 1)
            try await repository.appendEvent(ended, message: "stopped", at: ended.createdAt)
            var metered = try InstanceRowFixture.row(id: "01JENDEDMETERED00000000000", project: FastTier.project.id)
            try await repository.appendEvent(metered, message: "admitted", at: metered.createdAt, creating: true)
            (metered.phase, metered.runningSinceMs, metered.finishedAtMs, metered.meteredThrough) = (.failed(.exitNonZero), start, start + 120_000, 2)
            try await repository.appendEvent(metered, message: "exited", at: metered.createdAt)

            try await tier.start()
            let usage = try await Self.usage(tier, ended.id, intervals: 2)
            #expect(usage.totals.map(\.quantity) == [90, 90], "interval 0 was recorded before the crash; 1 and 2 now")
            // Admitted before instances stored their units: the defaults, GPUs as unspecified.
            #expect(tier.usage.ids == ["\(ended.id)/app-runtime-hour/1", "\(ended.id)/gpu-hour.unspecified/1",
                                       "\(ended.id)/app-runtime-hour/2", "\(ended.id)/gpu-hour.unspecified/2"])
            // The mark follows the usage it covers (ids are deterministic, so a crash between the two re-records nothing new).
            try await waitUntil("\(ended.id) is marked metered through interval 3") { try await repository.find(ended.id)?.meteredThrough == 3 }
            try await tier.restart()
            #expect(tier.usage.ids.count == 4, "a second start-up finds nothing behind")
        }
    }

    @Test("a final interval the metering log refused is recorded at the next start-up")
    func finalUsageRefusedIsRecordedAfterRestart() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .ready)
            try await tier.advance(by: .seconds(90))
            #expect(tier.usage.ids == ["\(record.id)/app-runtime-hour/0"])
            tier.usage.failing = true
            try await tier.stop(record.id)
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(record.id, .stopped)
            try await tier.waitUntilIdle()
            #expect(tier.usage.ids.count == 1)
            tier.usage.failing = false
            try await tier.restart()
            let usage = try await Self.usage(tier, record.id, intervals: 2)
            #expect(usage.totals.map(\.quantity) == [90])
        }
    }
}

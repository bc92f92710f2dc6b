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
                "\(record.id)/app-runtime.second/0", "\(record.id)/gpu.second/0", "\(record.id)/app-runtime.second/1", "\(record.id)/gpu.second/1",
            ])
            try await tier.stop(record.id)
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(record.id, .stopped)
            let usage = try await tier.service.usage(in: FastTier.project, id: record.id)
            #expect(usage.totals.map(\.unit) == ["app-runtime.second", "gpu.second"])
            #expect(usage.totals.map(\.quantity) == [150, 300])
            #expect(usage.totals.map(\.intervals) == [3, 3])
        }
    }
}

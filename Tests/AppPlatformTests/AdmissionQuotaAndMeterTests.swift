@testable import AppPlatform
import PlatformContracts
import Synchronization
import Testing

/// The usage meter, in process (admission's quotas: ``QuotaAdmissionTests``).
@Suite("Admission quota and metering")
struct AdmissionQuotaAndMeterTests {
    final class Recorder: UsageRecorder {
        let recorded = Mutex<[UsageEvent]>([])
        func ingest(_ events: [UsageEvent]) async throws -> UsageIngestReport {
            recorded.withLock { $0.append(contentsOf: events) }
            return UsageIngestReport(results: events.map { .init(id: $0.id, outcome: .accepted) })
        }
        func events(project: String, source: String?, idPrefix: String?) async throws -> [UsageEvent] { recorded.withLock { $0 } }
    }

    @Test("metering emits whole intervals while running and the partial last one at the end, keyed by interval")
    func meteringIntervals() async throws {
        let recorder = Recorder()
        let meter = UsageMeter(usage: recorder, intervalMs: 60_000)
        var row = try InstanceRowFixture.row(gpuCount: 2)
        row.runningSinceMs = 1_000_000
        #expect(try await meter.meter(row, through: 1_000_000 + 59_999, final: false, alreadyThrough: 0) == nil)
        #expect(try await meter.meter(row, through: 1_000_000 + 150_000, final: false, alreadyThrough: 0) == 2)
        row.meteredThrough = 2
        #expect(try await meter.meter(row, through: 1_000_000 + 150_000, final: true, alreadyThrough: 2) == 3)
        let events = recorder.recorded.withLock { $0 }
        #expect(events.map(\.id) == ["I/app-runtime-hour/0", "I/gpu-hour.unspecified/0", "I/app-runtime-hour/1", "I/gpu-hour.unspecified/1",
                                     "I/app-runtime-hour/2", "I/gpu-hour.unspecified/2"])
        #expect(events.map(\.quantity) == [60, 120, 60, 120, 30, 60])
    }
}

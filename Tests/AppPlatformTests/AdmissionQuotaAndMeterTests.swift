@testable import AppPlatform
import PlatformContracts
import Synchronization
import Testing

/// Admission's quota reservation and the usage meter, in process.
@Suite("Admission quota and metering")
struct AdmissionQuotaAndMeterTests {
    @Test("concurrent launches: exactly the quota's worth of reservations pass")
    func quotaRaceAdmitsOnlyTheQuota() async {
        let live = LiveInstances()
        let passed = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    do { try live.reserve(project: "P", gpus: 1, quotas: ["concurrent_instances": 3, "gpus": 8]); return true } catch { return false }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(passed == 3)
        #expect(throws: PlatformError.self) { try live.reserve(project: "P", gpus: 0, quotas: ["concurrent_instances": 3]) }
        live.releaseReservation(project: "P", gpus: 1)
        #expect(throws: Never.self) { try live.reserve(project: "P", gpus: 0, quotas: ["concurrent_instances": 3]) }
        #expect(throws: Never.self) { try live.reserve(project: "Q", gpus: 0, quotas: ["concurrent_instances": 3]) }
    }

    @Test("a GPU quota refuses with the quota named")
    func gpuQuotaRefusal() {
        let live = LiveInstances()
        #expect(throws: Never.self) { try live.reserve(project: "P", gpus: 6, quotas: ["gpus": 8]) }
        do {
            try live.reserve(project: "P", gpus: 3, quotas: ["gpus": 8])
            Issue.record("9 GPUs passed a quota of 8")
        } catch {
            #expect(error.code == .instanceQuotaExceeded && error.details["quota"] == "gpus")
        }
    }

    final class Recorder: UsageRecorder {
        let recorded = Mutex<[UsageEvent]>([])
        func record(_ event: UsageEvent) async throws { recorded.withLock { $0.append(event) } }
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
        #expect(events.map(\.id) == ["I/app-runtime.second/0", "I/gpu.second/0", "I/app-runtime.second/1", "I/gpu.second/1",
                                     "I/app-runtime.second/2", "I/gpu.second/2"])
        #expect(events.map(\.quantity) == [60, 120, 60, 120, 30, 60])
    }
}

@testable import AppPlatform
import Foundation
import PlatformContracts
import RegistryService
import Synchronization
import Testing

/// The manifest's `billing.usageUnit` decides what an instance is metered in; GPU time is
/// always metered per GPU model.
@Suite("Instance metering units")
struct InstanceMeteringTests {
    static let units: UsageUnitRegistry = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("manifests/platform")
        return try! RegistryFiles(directory: folder).usageUnits()
    }()

    @Test("runtime units are honoured (deprecated ones as their replacement), a consumption unit bills no run time, GPUs are gpu-hour.<model>")
    func usageUnitDecidesTheUnits() {
        let resolve = { (unit: String?, model: String?) in InstanceMetering.resolve(usageUnit: unit, gpuModel: model, units: Self.units) }
        #expect(resolve(nil, nil) == InstanceMetering(runtimeUnit: "app-runtime-hour", runtimeVersion: 1, gpuUnit: "gpu-hour.unspecified", gpuVersion: 1))
        #expect(resolve("app-runtime.second", "h100").runtimeUnit == "app-runtime-hour")
        #expect(resolve("gpu-hour", "h100") == InstanceMetering(runtimeUnit: "app-runtime-hour", runtimeVersion: 1, gpuUnit: "gpu-hour.h100", gpuVersion: 1))
        #expect(resolve("gpu.second", "a100").gpuUnit == "gpu-hour.a100")
        #expect(resolve("inference.token", "h200") == InstanceMetering(runtimeUnit: nil, runtimeVersion: 1, gpuUnit: "gpu-hour.h200", gpuVersion: 1))
        #expect(resolve("app-runtime-hour", "b300").gpuUnit == "gpu-hour.unspecified", "a model without its unit is metered as unspecified")
    }

    final class Recorder: UsageRecorder {
        let recorded = Mutex<[UsageEvent]>([])
        func ingest(_ events: [UsageEvent]) async throws -> UsageIngestReport {
            recorded.withLock { $0.append(contentsOf: events) }
            return UsageIngestReport(results: events.map { .init(id: $0.id, outcome: .accepted) })
        }
        func events(project: String, source: String?, idPrefix: String?) async throws -> [UsageEvent] { recorded.withLock { $0 } }
    }

    @Test("an app billed by consumption (inference.token) records GPU time only, as its product reports the tokens")
    func consumptionBilledAppRecordsNoRunTime() async throws {
        let recorder = Recorder()
        var row = try InstanceRowFixture.row(gpuCount: 4)
        row.runningSinceMs = 1_000_000
        row.metering = InstanceMetering.resolve(usageUnit: "inference.token", gpuModel: "h200", units: Self.units)
        #expect(try await UsageMeter(usage: recorder, intervalMs: 60_000).meter(row, through: 1_120_000, final: false, alreadyThrough: 0) == 2)
        let events = recorder.recorded.withLock { $0 }
        #expect(events.map(\.id) == ["I/gpu-hour.h200/0", "I/gpu-hour.h200/1"])
        #expect(events.allSatisfy { $0.source == "apps" && $0.product == "apps" && $0.quantity == 240 && $0.tenant == "T" })
    }
}

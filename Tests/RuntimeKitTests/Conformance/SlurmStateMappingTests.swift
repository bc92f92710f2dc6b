import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RuntimeKit
@testable import SlurmRuntimeAdapter
import Testing

/// How the Slurm adapter reads `scontrol show job` (its conformance checks are in
/// ``AdapterConformanceTests``, against a real cluster).
@Suite("Slurm adapter state mapping")
struct SlurmStateMappingTests {
    @Test("Slurm end states map to typed reasons, never all 'completed'")
    func stateMapping() throws {
        func state(_ line: String) -> RuntimeState? { SlurmJobRecord(scontrolLine: line)?.runtimeState }
        #expect(state("JobId=7 JobName=x JobState=PENDING Reason=Resources ExitCode=0:0") == .pending(reason: "Resources"))
        #expect(state("JobId=7 JobState=RUNNING Reason=None NodeList=n1 ExitCode=0:0") == .running)
        #expect(state("JobId=7 JobState=COMPLETED Reason=None ExitCode=0:0") == .exited(code: 0))
        #expect(state("JobId=7 JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0") == .exited(code: 3))
        #expect(state("JobId=7 JobState=FAILED Reason=None ExitCode=0:9") == .exited(code: 137))
        #expect(state("JobId=7 JobState=OUT_OF_MEMORY Reason=OutOfMemory ExitCode=0:125")?.failureReason == .oom)
        #expect(state("JobId=7 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15")?.failureReason == .timeout)
        #expect(state("JobId=7 JobState=NODE_FAIL Reason=NodeDown ExitCode=0:0")?.failureReason == .nodeLost)
        #expect(state("JobId=7 JobState=PREEMPTED Reason=None ExitCode=0:15")?.failureReason == .preempted)
        #expect(state("JobId=7 JobState=CANCELLED Reason=None ExitCode=0:15")?.failureReason == .cancelled)
        #expect(SlurmJobRecord(scontrolLine: "JobId=7 JobState=RUNNING Nodes=localhost CPU_IDs=0 Mem=0 GRES=gpu:h100:2(IDX:0-1,3)")?.gpuIndices == [0, 1, 3])
    }
}

extension RuntimeState {
    var failureReason: FailureReason? {
        if case .failed(let reason, _) = self { reason } else { nil }
    }
}

/// The repository checkout the tests run from.
func repositoryRoot() -> URL {
    var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path), folder.path != "/" {
        folder = folder.deletingLastPathComponent()
    }
    return folder
}

func makeFolder(_ url: URL) throws -> URL {
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

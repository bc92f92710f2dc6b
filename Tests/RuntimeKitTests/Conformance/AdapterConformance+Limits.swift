import Foundation
import PlatformContracts
import RuntimeKit
import Testing

/// The resource promises of the adapter contract: the manifest's memory and CPU reach the
/// instance's cgroup, a workload over its memory ends failed(oom), its writable scratch space
/// is `resources.diskMiB` (writing past it fails with ENOSPC), and a runtime refuses more
/// nodes than it has. The twin models the same limits (`InMemoryBehaviour+Limits.swift`).
extension AdapterConformanceTests {
    /// Whether this host's Slurm test cluster enforces `--mem`/`--cpus-per-task` through
    /// task/cgroup: `scripts/slurm/cluster.sh` turns it on where the cgroup v1 memory
    /// controller is mounted.
    static var slurmEnforcesCgroups: Bool { FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/memory.limit_in_bytes") }

    @Test("resources.memoryMiB and resources.cpuMillicores reach the instance's cgroup", arguments: AdapterKind.imageRunners)
    func cpuAndMemoryLimitsReachTheCgroup(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        var spec = fixture.spec("CONF-LIMITS", .printLimits)
        spec.memoryMiB = 192
        spec.cpuMillicores = 500
        let (handle, ended) = try await startAndWait(fixture.adapter, spec)
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        switch kind {
        case .local:
            // runc: memory.limit_in_bytes / memory.max, and a CFS quota of 500 ms per second.
            #expect(text.contains("memory=\(192 * 1_048_576)\n"), "\(text)")
            #expect(text.contains("cpu=50000/100000\n"), "\(text)")
        case .slurm:
            // task/cgroup: --mem=192M is the job's memory limit, --cpus-per-task=1 one core of the node's two.
            let enforced = Self.slurmEnforcesCgroups
            try #require(enforced, "the test cluster enforces limits only on a cgroup v1 host")
            #expect(text.contains("memory=\(192 * 1_048_576)\n"), "\(text)")
            let cpus = text.split(separator: "\n").first { $0.hasPrefix("cpus=") }.map { String($0.dropFirst(5)) }
            #expect(cpus.map { !$0.isEmpty && $0.allSatisfy(\.isNumber) } == true, "one core: \(text)")
        case .memory:
            break
        }
        try await fixture.adapter.destroy(handle)
    }

    @Test("a workload over resources.memoryMiB ends failed(oom)", arguments: AdapterKind.allCases)
    func memoryOverTheLimitEndsOOM(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let enforced = kind != .slurm || Self.slurmEnforcesCgroups
        try #require(enforced, "the Slurm test cluster enforces limits only on a cgroup v1 host")
        var spec = fixture.spec("CONF-OOM", .hogMemory(mib: 256))
        spec.memoryMiB = 64
        let (handle, ended) = try await startAndWait(fixture.adapter, spec)
        guard case .failed(let reason, _) = ended.state else {
            Issue.record("expected failed(oom), got \(ended)")
            try await fixture.adapter.destroy(handle)
            return
        }
        #expect(reason == .oom, "\(ended)")
        try await fixture.adapter.destroy(handle)
    }

    @Test("resources.diskMiB limits the writable scratch space: writing past it fails with ENOSPC", arguments: AdapterKind.allCases)
    func diskMiBLimitsScratchSpace(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        // Without a limit the same write fits: the refusal below is the limit's doing.
        let (free, freeEnd) = try await startAndWait(fixture.adapter, fixture.spec("CONF-DISK-FREE", .fillScratch(mib: 24)))
        #expect(freeEnd.state == .exited(code: 0), "\(freeEnd)")
        let freeLog = try await allLogs(fixture.adapter, free)
        #expect(freeLog.contains("fits"), "\(freeLog)")
        try await fixture.adapter.destroy(free)

        var limited = fixture.spec("CONF-DISK", .fillScratch(mib: 24))
        limited.diskMiB = 16
        let (handle, ended) = try await startAndWait(fixture.adapter, limited)
        #expect(ended.state == .exited(code: 1), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        #expect(text.contains("enospc") && text.contains("No space left"), "\(text)")
        try await fixture.adapter.destroy(handle)
    }

    @Test("more nodes than the runtime has are refused before anything starts", arguments: AdapterKind.allCases)
    func tooManyNodesAreRefused(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        var spec = fixture.spec("CONF-NODES", .printNode)
        spec.nodes = 2
        let before = fixture.sideEffects()
        switch kind {
        case .memory, .local:
            // One host: a multi-node spec is not something these adapters can ever run.
            #expect(throws: PlatformError.self) { try fixture.adapter.validate(spec) }
            await expectCode(.runtimeSpecInvalid) { _ = try await fixture.adapter.plan(spec) }
        case .slurm:
            // The suite's cluster has one node: Slurm could never start it.
            try fixture.adapter.validate(spec)
            await expectCode(.runtimePlacementUnsatisfiable, reason: "capacity") { _ = try await fixture.adapter.plan(spec) }
        }
        #expect(fixture.sideEffects() == before)
    }
}

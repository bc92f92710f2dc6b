@testable import AppPlatform
import InMemoryRuntimeAdapter
import PlatformContracts
import RuntimeKit
import Testing

/// A restarted server, stops of instances that never started, and concurrent launches.
@Suite("Recovery, pending stops and the launch quota race")
struct RecoveryAndStopTests {
    @Test("a restarted supervisor re-attaches a running instance (and its GPUs) and keeps supervising it")
    func restartReattachesRunningInstance() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web", gpus: "1")
            try await tier.waitFor(record.id, .ready)
            try await tier.restart()
            let afterRestart = try await tier.service.events(in: FastTier.project, id: record.id, after: 0)
            #expect(try await tier.record(record.id).phase == .ready, "\(afterRestart)")
            #expect(try await tier.record(record.id).gpus.count == 1)
            // The new adapter re-reserved the GPU: two more do not fit a two-GPU node.
            await #expect(throws: PlatformError.self) { try await tier.launch("web", gpus: "2") }
            try await tier.stop(record.id)
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(record.id, .stopped)
            #expect(try await tier.phases(record.id) == [.accepted, .scheduled, .starting, .running, .ready, .stopping, .stopped])
        }
    }

    @Test("an instance a crash left without a runtime handle fails as lost on restart; one asked to stop ends stopped")
    func restartFailsInstancesWithoutHandle() async throws {
        try await FastTier.with { tier in
            let repository = InstanceRepository(store: tier.store, audit: tier.audit)
            var orphan = try InstanceRowFixture.row(id: "01JORPHAN00000000000000000", project: FastTier.project.id)
            try await repository.appendEvent(orphan, message: "admitted", at: orphan.createdAt, creating: true)
            orphan.phase = .starting
            try await repository.appendEvent(orphan, message: "starting", at: orphan.createdAt)
            var stopped = try InstanceRowFixture.row(id: "01JSTOPPED0000000000000000", project: FastTier.project.id)
            try await repository.appendEvent(stopped, message: "admitted", at: stopped.createdAt, creating: true)
            stopped.phase = .stopping
            stopped.stopCause = .requested
            try await repository.appendEvent(stopped, message: "stop requested", at: stopped.createdAt)

            try await tier.restart()
            #expect(try await tier.phases(orphan.id) == [.accepted, .starting, .failed(.lost)])
            #expect(try await tier.record(orphan.id).message == "platformd restarted before the workload was started")
            #expect(try await tier.phases(stopped.id) == [.accepted, .stopping, .stopped])
            #expect(tier.audit.recorded("apps.instance.fail").contains { $0.target == "instance/\(orphan.id)" })
        }
    }

    @Test("a stop before the start is sent: stopped, and the adapter is never asked to start")
    func stopOfAcceptedInstanceNeverStarts() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            // Admitted but not yet begun (what launch does before the supervisor picks it up).
            let (row, plan) = try await tier.service.admission.admit(in: FastTier.project, LaunchRequest(app: "web"), by: FastTier.caller,
                                                                     requestID: nil)
            let stopping = try await tier.service.stop(in: FastTier.project, id: row.id, by: FastTier.caller, requestID: nil)
            #expect(stopping.phase == .stopping)
            await tier.service.supervisor.begin(row.id, plan: plan)
            #expect(try await tier.record(row.id).phase == .stopped)
            #expect(try await tier.phases(row.id) == [.accepted, .stopping, .stopped])
            #expect(tier.adapter.starts == 0)
            #expect(tier.runtime.instanceIds.isEmpty)
        }
    }

    @Test("a stop while the adapter is starting it: stopped as soon as the start returns, never running")
    func stopOfStartingInstanceEndsStopped() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.adapter.holdStarts()
            let record = try await tier.launch("web")
            try await waitUntil("the start is in flight") { tier.adapter.heldStarts == 1 }
            #expect(try await tier.record(record.id).phase == .starting)
            _ = try await tier.service.stop(in: FastTier.project, id: record.id, by: FastTier.caller, requestID: nil)
            tier.adapter.releaseStarts()
            try await tier.waitFor(record.id, .stopped)
            #expect(try await tier.phases(record.id) == [.accepted, .scheduled, .starting, .stopping, .stopped])
        }
    }

    @Test("concurrent launches through admission: exactly the quota's worth are accepted")
    func concurrentLaunchesRespectTheQuota() async throws {
        try await FastTier.with(policy: TestPolicy.snapshot(["quota.concurrent_instances": .integer(3)])) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let service = tier.service
            let accepted = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        (try? await service.launch(in: FastTier.project, LaunchRequest(app: "web"), by: FastTier.caller, requestID: nil)) != nil
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(accepted == 3)
            #expect(try await tier.service.list(in: FastTier.project).count == 3)
            #expect(tier.audit.recorded("apps.instance.refuse").count == 9)
        }
    }
}

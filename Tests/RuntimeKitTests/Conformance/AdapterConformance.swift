import Foundation
import PlatformContracts
import PlatformTestKit
import RuntimeKit
import Testing

/// The one conformance suite every runtime adapter runs: each promise of the contract is
/// its own test, run against every adapter (the in-memory twin, runc on this host, a real
/// Slurm cluster), so one broken promise does not hide the others. Workloads are
/// ``ConformanceWorkload``s that each adapter's fixture runs its own way.
@Suite("Runtime adapter conformance", .serialized, .tags(.integration, .slurm), .conformanceEnvironment)
struct AdapterConformanceTests {
    @Test("declares its capabilities under a name", arguments: AdapterKind.allCases)
    func declaresItsName(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        #expect(!fixture.adapter.capabilities.name.isEmpty)
    }

    @Test("validate refuses what no runtime could run, before anything else", arguments: AdapterKind.allCases)
    func validateRefusesUnknownOverrides(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        var bad = fixture.spec("CONF-BAD", .greetAndExit(code: 0))
        bad.overrides = ["no-such-setting": "1"]
        #expect(throws: PlatformError.self) { try fixture.adapter.validate(bad) }
    }

    @Test("plan has no side effects", arguments: AdapterKind.allCases)
    func planHasNoSideEffects(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let before = fixture.sideEffects()
        _ = try await fixture.adapter.plan(fixture.spec("CONF-PLAN", .greetAndExit(code: 0)))
        #expect(fixture.sideEffects() == before, "plan changed the runtime's state")
    }

    @Test("plan refuses a GPU request no node can ever take, for reason capacity", arguments: AdapterKind.allCases)
    func planRefusesWhatNeverFits(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        await expectCode(.runtimePlacementUnsatisfiable, reason: "capacity") {
            _ = try await fixture.adapter.plan(fixture.spec("CONF-BIG", .greetAndExit(code: 0), gpus: fixture.tooManyGPUs))
        }
    }

    @Test("a job that succeeds ends exited(0) through the event stream with its output in the logs; release is safe twice",
          arguments: AdapterKind.allCases)
    func succeedingJob(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let (handle, ended) = try await startAndWait(fixture.adapter, fixture.spec("CONF-OK", .greetAndExit(code: 0)))
        #expect(ended.state == .exited(code: 0), "\(ended)")
        #expect(ended.finishedAt != nil)
        let text = try await allLogs(fixture.adapter, handle)
        #expect(text.contains("hello-CONF-OK"), "\(text)")
        try await fixture.adapter.release(handle)
        try await fixture.adapter.release(handle)
        try await fixture.adapter.destroy(handle)
    }

    @Test("the image's layers are applied in order, whiteouts included", arguments: AdapterKind.imageRunners)
    func imageLayersApplied(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let (handle, ended) = try await startAndWait(fixture.adapter, fixture.spec("CONF-IMG", .showImage))
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        #expect(text.contains("hello from layer 2") && text.contains("whiteout-applied"), "\(text)")
        try await fixture.adapter.destroy(handle)
    }

    @Test("a failing job keeps its exit status", arguments: AdapterKind.allCases)
    func failingJobKeepsItsStatus(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let (handle, ended) = try await startAndWait(fixture.adapter, fixture.spec("CONF-FAIL", .greetAndExit(code: 3)))
        #expect(ended.state == .exited(code: 3), "\(ended)")
        try await fixture.adapter.destroy(handle)
    }

    @Test("GPUs reach the process as CUDA_VISIBLE_DEVICES and are free again after release", arguments: AdapterKind.allCases)
    func gpusReachTheProcess(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let (handle, ended) = try await startAndWait(fixture.adapter, fixture.spec("CONF-GPU", .printGPUs, gpus: fixture.gpuCase.request))
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        #expect(fixture.gpuCase.expected.contains { text.contains("gpus=\($0)\n") }, "\(text)")
        try await fixture.adapter.release(handle)
        if let inventory = fixture.inventory {
            #expect(await inventory.snapshot().flatMap(\.devices).allSatisfy { $0.instance == nil }, "devices are released")
        }
        try await fixture.adapter.destroy(handle)
    }

    @Test("a service runs until stopped; a restarted adapter re-attaches from the persisted handle and stops it gracefully",
          arguments: AdapterKind.allCases)
    func serviceRecoversAndStops(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let adapter = fixture.adapter
        let service = fixture.spec("CONF-SVC", mode: .service, .serveUntilStopped)
        let started = try await adapter.start(service, plan: try await adapter.plan(service))
        try await waitUntil(adapter, started) { $0.state == .running }
        // Its TERM handler is in place once it printed "serving".
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while try await !allLogs(adapter, started).contains("serving"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        if let exec = adapter as? any RuntimeExecSupport {
            let inside = try await exec.exec(started, command: ["/bin/cat", "/etc/greeting"])
            #expect(inside.status == 0 && inside.output == "hello from layer 2\n", "\(inside)")
        }
        let persisted = try JSONEncoder().encode(started)
        let restarted = fixture.makeAdapter()
        let recovered = try await restarted.recover(try JSONDecoder().decode(RuntimeHandle.self, from: persisted))
        #expect(try await restarted.inspect(recovered).state == .running)
        try await restarted.stop(recovered, grace: .seconds(10))
        let stopped = try await restarted.inspect(recovered)
        #expect(stopped.state.isTerminal, "\(stopped)")
        let log = try await allLogs(restarted, recovered)
        #expect(log.contains("serving") && log.contains("got-term"), "\(log)")
        try await restarted.destroy(recovered)
    }

    @Test("handles of another adapter or an unknown version are refused", arguments: AdapterKind.allCases)
    func foreignHandlesAreRefused(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let spec = fixture.spec("CONF-FOREIGN", .greetAndExit(code: 0))
        let handle = try await fixture.adapter.start(spec, plan: try await fixture.adapter.plan(spec))
        var foreign = handle
        foreign.adapter = "elsewhere"
        await expectCode(.runtimeHandleInvalid) { _ = try await fixture.adapter.inspect(foreign) }
        var future = handle
        future.version = 99
        await expectCode(.runtimeHandleInvalid) { _ = try await fixture.adapter.recover(future) }
        try await fixture.adapter.destroy(handle)
    }
}

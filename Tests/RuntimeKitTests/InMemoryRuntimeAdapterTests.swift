import Foundation
import InMemoryRuntimeAdapter
import PlatformContracts
import RuntimeKit
import Testing

/// The twin's own behaviours, each driven by a manual clock (the shared contract is checked
/// by the conformance suite).
@Suite("In-memory runtime adapter (the twin)")
struct InMemoryRuntimeAdapterTests {
    let image = LaunchSpec.Image(repository: "p1/app", manifestDigest: ContentDigest(sha256Bytes: Array("app".utf8)))

    func spec(_ id: String, app: String = "app", gpus: Int = 0, environment: [String: String] = [:]) -> LaunchSpec {
        LaunchSpec(instanceId: id, project: "p1", app: app, version: "1.0.0", mode: .service, image: image, command: [],
                   environment: environment, gpus: GPURequest(model: nil, count: gpus))
    }

    func launch(_ adapter: InMemoryRuntimeAdapter, _ spec: LaunchSpec) async throws -> RuntimeHandle {
        try await adapter.start(spec, plan: try await adapter.plan(spec))
    }

    func log(_ adapter: InMemoryRuntimeAdapter, _ handle: RuntimeHandle) async throws -> String {
        String(decoding: try await adapter.logs(handle, from: 0).data, as: UTF8.self)
    }

    @Test("a workload is pending with its reason until its delay has passed, then running")
    func pendingThenRunning() async throws {
        let clock = ManualClock()
        let adapter = InMemoryRuntimeAdapter(runtime: InMemoryRuntime(clock: clock, defaultBehaviour: .init(pending: .milliseconds(500), pendingReason: "Resources")))
        let handle = try await launch(adapter, spec("MEM-PEND"))
        #expect(try await adapter.inspect(handle).state == .pending(reason: "Resources"))
        await clock.advance(by: .milliseconds(499))
        #expect(try await adapter.inspect(handle).state == .pending(reason: "Resources"))
        await clock.advance(by: .milliseconds(1))
        let seen = try await adapter.inspect(handle)
        #expect(seen.state == .running && seen.startedAt == clock.now(), "\(seen)")
    }

    @Test("a job exits with its code after its run time, and its output expands its environment")
    func exitsWithCodeAfterRunTime() async throws {
        let clock = ManualClock()
        let runtime = InMemoryRuntime(clock: clock, defaultBehaviour: .exits(3, after: .seconds(2), output: "hello ${PLATFORM_INSTANCE_ID} ${GREETING}\n"))
        let adapter = InMemoryRuntimeAdapter(runtime: runtime)
        let handle = try await launch(adapter, spec("MEM-EXIT", environment: ["GREETING": "world"]))
        #expect(try await adapter.inspect(handle).state == .running)
        runtime.write("more\n", to: "MEM-EXIT")
        await clock.advance(by: .seconds(2))
        let seen = try await adapter.inspect(handle)
        #expect(seen.state == .exited(code: 3) && seen.finishedAt == clock.now(), "\(seen)")
        #expect(try await log(adapter, handle) == "hello MEM-EXIT world\nmore\n")
        let tail = try await adapter.logs(handle, from: 6)
        #expect(String(decoding: tail.data, as: UTF8.self) == "MEM-EXIT world\nmore\n" && tail.nextOffset == 26)
    }

    @Test("a start failure throws its reason and leaves nothing behind, devices included")
    func startFailureLeavesNothing() async throws {
        let runtime = InMemoryRuntime(clock: ManualClock(), gpuCount: 1) { spec in
            spec.app == "broken" ? InMemoryBehaviour(startFailure: "exec format error") : .serve
        }
        let adapter = InMemoryRuntimeAdapter(runtime: runtime)
        do {
            _ = try await launch(adapter, spec("MEM-BROKEN", app: "broken", gpus: 1))
            Issue.record("a broken launch started")
        } catch let error as PlatformError {
            #expect(error.code == .runtimeStartFailed && error.message.contains("exec format error"), "\(error)")
        }
        #expect(runtime.instanceIds.isEmpty)
        let other = try await launch(adapter, spec("MEM-FINE", gpus: 1))
        #expect(try await adapter.inspect(other).gpuIndices == [0], "the failed start reserved no device")
    }

    @Test("a lost workload is gone after its time, with no exit record")
    func lostWorkloadIsGone() async throws {
        let clock = ManualClock()
        let adapter = InMemoryRuntimeAdapter(runtime: InMemoryRuntime(clock: clock, defaultBehaviour: .init(lostAfter: .seconds(5))))
        let handle = try await launch(adapter, spec("MEM-LOST"))
        await clock.advance(by: .seconds(4))
        #expect(try await adapter.inspect(handle).state == .running)
        await clock.advance(by: .seconds(1))
        let seen = try await adapter.inspect(handle)
        #expect(seen.state == .gone && seen.finishedAt == nil, "\(seen)")
    }

    @Test("a typed runtime failure ends it with its reason")
    func typedFailure() async throws {
        let clock = ManualClock()
        let adapter = InMemoryRuntimeAdapter(runtime: InMemoryRuntime(clock: clock, defaultBehaviour: .init(failure: .init(.oom, message: "killed for memory", after: .seconds(1)))))
        let handle = try await launch(adapter, spec("MEM-OOM"))
        await clock.advance(by: .seconds(1))
        #expect(try await adapter.inspect(handle).state == .failed(.oom, message: "killed for memory"))
    }

    @Test("a test can end a live workload now (a crash, a wiped node); an ended one stays as it ended")
    func imposedEnd() async throws {
        let clock = ManualClock()
        let runtime = InMemoryRuntime(clock: clock, defaultBehaviour: .init(pending: .seconds(1)))
        let adapter = InMemoryRuntimeAdapter(runtime: runtime)
        let handle = try await launch(adapter, spec("MEM-END"))
        #expect(!runtime.end("MEM-END", as: .running), "only a terminal state ends it")
        #expect(runtime.end("MEM-END", as: .gone))
        #expect(try await adapter.inspect(handle).state == .gone)
        #expect(!runtime.end("MEM-END", as: .exited(code: 1)))
        await clock.advance(by: .seconds(5))
        #expect(try await adapter.inspect(handle).state == .gone)
    }

    @Test("a launch that refuses capacity is unsatisfiable at plan, for reason capacity")
    func refusesCapacity() async throws {
        let adapter = InMemoryRuntimeAdapter(runtime: InMemoryRuntime(clock: ManualClock()) { spec in
            InMemoryBehaviour(refusesCapacity: spec.environment["TWIN"] == "no-capacity")
        })
        await expectUnsatisfiable("capacity") { _ = try await adapter.plan(spec("MEM-BIG", environment: ["TWIN": "no-capacity"])) }
        _ = try await adapter.plan(spec("MEM-SMALL"))
    }

    @Test("a stop within the grace exits with the stop code after the stop delay, writing its stop output")
    func stopWithinGrace() async throws {
        let clock = ManualClock()
        let adapter = InMemoryRuntimeAdapter(runtime: InMemoryRuntime(clock: clock, defaultBehaviour: .init(
            output: "serving\n", stopOutput: "got-term\n", stopDelay: .seconds(2), stopExitCode: 0)))
        let handle = try await launch(adapter, spec("MEM-STOP"))
        let stopping = Task { try await adapter.stop(handle, grace: .seconds(10)) }
        while clock.sleeperCount == 0 { await Task.yield() }
        #expect(try await adapter.inspect(handle).state == .running, "still running during its stop delay")
        await clock.advance(by: .seconds(2))
        try await stopping.value
        #expect(try await adapter.inspect(handle).state == .exited(code: 0))
        #expect(try await log(adapter, handle) == "serving\ngot-term\n")
    }

    @Test("a stop whose delay outlasts the grace kills it (137) when the grace ends")
    func stopPastGraceKills() async throws {
        let clock = ManualClock()
        let adapter = InMemoryRuntimeAdapter(runtime: InMemoryRuntime(clock: clock, defaultBehaviour: .init(stopDelay: .seconds(60))))
        let handle = try await launch(adapter, spec("MEM-KILL"))
        let stopping = Task { try await adapter.stop(handle, grace: .seconds(5)) }
        while clock.sleeperCount == 0 { await Task.yield() }
        await clock.advance(by: .seconds(5))
        try await stopping.value
        #expect(try await adapter.inspect(handle).state == .exited(code: 137))
    }

    @Test("a stop of a pending workload ends it at once, before it ever runs")
    func stopWhilePending() async throws {
        let clock = ManualClock()
        let adapter = InMemoryRuntimeAdapter(runtime: InMemoryRuntime(clock: clock, defaultBehaviour: .init(pending: .seconds(30), output: "never\n")))
        let handle = try await launch(adapter, spec("MEM-PSTOP"))
        try await adapter.stop(handle, grace: .seconds(10))
        let seen = try await adapter.inspect(handle)
        #expect(seen.state == .exited(code: 143) && seen.startedAt == nil, "\(seen)")
        await clock.advance(by: .seconds(60))
        #expect(try await adapter.inspect(handle).state == .exited(code: 143))
        #expect(try await log(adapter, handle).isEmpty)
    }

    @Test("GPU slots: plan refuses what never fits, start reserves, release frees, recover re-reserves")
    func gpuSlots() async throws {
        let runtime = InMemoryRuntime(clock: ManualClock(), gpuCount: 2)
        let adapter = InMemoryRuntimeAdapter(runtime: runtime)
        await expectUnsatisfiable("capacity") { _ = try await adapter.plan(spec("MEM-G3", gpus: 3)) }
        let first = try await launch(adapter, spec("MEM-G1", gpus: 2, environment: [:]))
        #expect(try await adapter.inspect(first).gpuIndices == [0, 1])
        await expectUnsatisfiable("busy") { _ = try await adapter.plan(spec("MEM-G2", gpus: 1)) }

        // A restarted server (fresh reservations over the same runtime) re-reserves on recover.
        let restarted = InMemoryRuntimeAdapter(runtime: runtime)
        _ = try await restarted.plan(spec("MEM-G2", gpus: 1))
        let recovered = try await restarted.recover(first)
        await expectUnsatisfiable("busy") { _ = try await restarted.plan(spec("MEM-G2", gpus: 1)) }
        try await restarted.stop(recovered, grace: .seconds(1))
        try await restarted.release(recovered)
        try await restarted.release(recovered)
        _ = try await restarted.plan(spec("MEM-G2", gpus: 2))
    }

    @Test("a second adapter over the same runtime sees the same workloads; destroy forgets them")
    func restartedAdapterSeesTheRuntime() async throws {
        let clock = ManualClock()
        let runtime = InMemoryRuntime(clock: clock, defaultBehaviour: .init(output: "up\n"))
        let handle = try await launch(InMemoryRuntimeAdapter(runtime: runtime, name: "local"), spec("MEM-RE"))
        #expect(handle.adapter == "local")
        let restarted = InMemoryRuntimeAdapter(runtime: runtime, name: "local")
        let recovered = try await restarted.recover(handle)
        #expect(try await restarted.inspect(recovered).state == .running)
        #expect(try await log(restarted, recovered) == "up\n")
        try await restarted.destroy(recovered)
        #expect(try await restarted.inspect(recovered).state == .gone && runtime.instanceIds.isEmpty)
    }

    func expectUnsatisfiable(_ reason: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected runtimePlacementUnsatisfiable (\(reason))")
        } catch let error as PlatformError {
            #expect(error.code == .runtimePlacementUnsatisfiable && error.details["reason"] == reason, "\(error)")
        } catch {
            Issue.record("expected runtimePlacementUnsatisfiable, got \(error)")
        }
    }
}

import Foundation
import PlatformContracts
import PlatformTestKit
import RuntimeKit
import Testing

/// The one conformance suite every runtime adapter runs: the contract's promises checked
/// against the real runtime behind the adapter (runc on this host, a real slurmctld).
struct AdapterConformance {
    /// Makes a fresh adapter over the same state (a restarted server).
    let makeAdapter: @Sendable () -> any RuntimeAdapter
    /// The image every spec runs.
    let image: LaunchSpec.Image
    /// Where the adapter keeps instance folders (must stay empty after `plan`).
    let root: URL
    /// The GPU request the GPU case makes, and the CUDA_VISIBLE_DEVICES it expects.
    let gpuCase: (request: GPURequest, expected: Set<String>)

    func spec(_ id: String, mode: LaunchSpec.Mode = .job, _ script: String, gpus: GPURequest = GPURequest(model: nil, count: 0)) -> LaunchSpec {
        LaunchSpec(instanceId: id, project: "p1", app: "conformance", version: "1.0.0", mode: mode, image: image,
                   command: ["/bin/sh", "-c", script], environment: ["PLATFORM_INSTANCE_ID": id], gpus: gpus)
    }

    func run() async throws {
        let adapter = makeAdapter()
        #expect(!adapter.capabilities.name.isEmpty)

        // validate refuses what no runtime could run, before anything else.
        var bad = spec("CONF-BAD", "true")
        bad.overrides = ["no-such-setting": "1"]
        #expect(throws: PlatformError.self) { try adapter.validate(bad) }

        // plan has no side effects.
        let before = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        _ = try await adapter.plan(spec("CONF-PLAN", "true"))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []) == before, "plan created files")

        // A job that succeeds: its output is in the logs, the image's layers were applied with whiteouts.
        let ok = try await startAndWait(adapter, spec("CONF-OK", "echo hello-$PLATFORM_INSTANCE_ID; cat /etc/greeting; ls /removed 2>/dev/null || echo whiteout-applied"))
        #expect(ok.state == .exited(code: 0), "\(ok)")
        #expect(ok.finishedAt != nil)
        let okHandle = try await handle(adapter, "CONF-OK")
        let text = try await allLogs(adapter, okHandle)
        #expect(text.contains("hello-CONF-OK") && text.contains("hello from layer 2") && text.contains("whiteout-applied"), "\(text)")
        try await adapter.release(okHandle)
        try await adapter.release(okHandle)

        // A failing job keeps its exit status.
        let failed = try await startAndWait(adapter, spec("CONF-FAIL", "echo failing; exit 3"))
        #expect(failed.state == .exited(code: 3), "\(failed)")

        // GPUs reach the process as CUDA_VISIBLE_DEVICES.
        let gpu = try await startAndWait(adapter, spec("CONF-GPU", "echo gpus=$CUDA_VISIBLE_DEVICES", gpus: gpuCase.request))
        #expect(gpu.state == .exited(code: 0))
        let gpuText = try await allLogs(adapter, try await handle(adapter, "CONF-GPU"))
        #expect(gpuCase.expected.contains { gpuText.contains("gpus=\($0)\n") }, "\(gpuText)")

        // A service runs until stopped; a restarted adapter re-attaches from the persisted handle.
        let service = spec("CONF-SVC", mode: .service, "trap 'echo got-term; exit 0' TERM; echo serving; while true; do sleep 0.2; done")
        let started = try await adapter.start(service, plan: try await adapter.plan(service))
        try await waitUntil(adapter, started) { $0.state == .running }
        // Its TERM trap is set once it printed "serving" (pid 1 of a namespace ignores a TERM it has no handler for).
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(60))
        while try await !allLogs(adapter, started).contains("serving"), clock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        if let exec = adapter as? any RuntimeExecSupport {
            let inside = try await exec.exec(started, command: ["/bin/cat", "/etc/greeting"])
            #expect(inside.status == 0 && inside.output == "hello from layer 2\n", "\(inside)")
        }
        let persisted = try JSONEncoder().encode(started)
        let restarted = makeAdapter()
        let recovered = try await restarted.recover(try JSONDecoder().decode(RuntimeHandle.self, from: persisted))
        #expect(try await restarted.inspect(recovered).state == .running)
        try await restarted.stop(recovered, grace: .seconds(10))
        let stopped = try await restarted.inspect(recovered)
        #expect(stopped.state.isTerminal, "\(stopped)")
        let serviceLog = try await allLogs(restarted, recovered)
        #expect(serviceLog.contains("serving") && serviceLog.contains("got-term"), "\(serviceLog)")
        try await restarted.destroy(recovered)

        // Handles of another adapter or an unknown version are refused.
        var foreign = started
        foreign.adapter = "elsewhere"
        await expectCode(.runtimeHandleInvalid) { _ = try await adapter.inspect(foreign) }
        var future = started
        future.version = 99
        await expectCode(.runtimeHandleInvalid) { _ = try await adapter.recover(future) }

        for id in ["CONF-OK", "CONF-FAIL", "CONF-GPU"] { try await adapter.destroy(try await handle(adapter, id)) }
    }

    let handles = HandleBook()

    func startAndWait(_ adapter: any RuntimeAdapter, _ spec: LaunchSpec) async throws -> RuntimeObservation {
        let handle = try await adapter.start(spec, plan: try await adapter.plan(spec))
        await handles.put(spec.instanceId, handle)
        // Through the contract's event stream: it yields each change and ends after a terminal one.
        let id = spec.instanceId
        return try await withThrowingTaskGroup(of: RuntimeObservation?.self) { group in
            group.addTask {
                var last: RuntimeObservation?
                for try await seen in adapter.events(handle, every: .milliseconds(100)) {
                    #expect(last != seen, "events yield only changes")
                    last = seen
                }
                return last
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first, first.state.isTerminal else { throw ConformanceFailure(message: "\(id) did not end within 60 s: \(String(describing: first))") }
            return first
        }
    }

    func handle(_ adapter: any RuntimeAdapter, _ id: String) async throws -> RuntimeHandle {
        guard let handle = await handles.get(id) else { throw ConformanceFailure(message: "no handle for \(id)") }
        return handle
    }

    @discardableResult
    func waitUntil(_ adapter: any RuntimeAdapter, _ handle: RuntimeHandle, timeout: Duration = .seconds(60),
                   _ condition: (RuntimeObservation) -> Bool) async throws -> RuntimeObservation {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var last = try await adapter.inspect(handle)
        while !condition(last) {
            guard clock.now < deadline else { throw ConformanceFailure(message: "\(handle.instanceId) stuck at \(last)") }
            try await Task.sleep(for: .milliseconds(100))
            last = try await adapter.inspect(handle)
        }
        return last
    }

    func allLogs(_ adapter: any RuntimeAdapter, _ handle: RuntimeHandle) async throws -> String {
        var offset: Int64 = 0
        var bytes: [UInt8] = []
        while true {
            let chunk = try await adapter.logs(handle, from: offset)
            if chunk.data.isEmpty { break }
            bytes += chunk.data
            offset = chunk.nextOffset
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func expectCode(_ code: ErrorCode, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code)")
        } catch let error as PlatformError {
            #expect(error.code == code, "\(error)")
        } catch {
            Issue.record("expected \(code), got \(error)")
        }
    }
}

actor HandleBook {
    private var handles: [String: RuntimeHandle] = [:]
    func put(_ id: String, _ handle: RuntimeHandle) { handles[id] = handle }
    func get(_ id: String) -> RuntimeHandle? { handles[id] }
}

struct ConformanceFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

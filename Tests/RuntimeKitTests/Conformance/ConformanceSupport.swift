import Foundation
import PlatformContracts
import RuntimeKit
import Testing

/// Starts `spec` and follows it through the contract's event stream, which must yield only
/// changes and end after a terminal observation (within 60 s).
func startAndWait(_ adapter: any RuntimeAdapter, _ spec: LaunchSpec) async throws -> (RuntimeHandle, RuntimeObservation) {
    let handle = try await adapter.start(spec, plan: try await adapter.plan(spec))
    let id = spec.instanceId
    let last = try await withThrowingTaskGroup(of: RuntimeObservation?.self) { group in
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
        return first
    }
    guard let last, last.state.isTerminal else { throw ConformanceFailure(message: "\(id) did not end within 60 s: \(String(describing: last))") }
    return (handle, last)
}

@discardableResult
func waitUntil(_ adapter: any RuntimeAdapter, _ handle: RuntimeHandle, timeout: Duration = .seconds(60),
               _ condition: (RuntimeObservation) -> Bool) async throws -> RuntimeObservation {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    var last = try await adapter.inspect(handle)
    while !condition(last) {
        guard ContinuousClock.now < deadline else { throw ConformanceFailure(message: "\(handle.instanceId) stuck at \(last)") }
        try await Task.sleep(for: .milliseconds(100))
        last = try await adapter.inspect(handle)
    }
    return last
}

/// The whole log, chunk by chunk.
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

/// Expects `body` to throw a ``PlatformError`` with `code` (and, when given, `details["reason"]`).
func expectCode(_ code: ErrorCode, reason: String? = nil, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected \(code)")
    } catch let error as PlatformError {
        #expect(error.code == code, "\(error)")
        if let reason { #expect(error.details["reason"] == reason, "\(error)") }
    } catch {
        Issue.record("expected \(code), got \(error)")
    }
}

struct ConformanceFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

import Foundation
import PlatformContracts

/// The runtime adapter contract: how the platform places, starts, watches and stops an
/// instance on one kind of runtime (this host under runc, a Slurm cluster, …).
///
/// Every verb is keyed by the instance through its ``RuntimeHandle``, an opaque versioned
/// value the platform persists after ``start(_:plan:)`` and hands back to ``recover(_:)``
/// after a restart. ``inspect(_:)`` is authoritative: it asks the runtime, never a cache.
/// Every adapter passes the same conformance suite (`Tests/RuntimeKitTests/Conformance`).
///
/// ```swift
/// let plan = try await adapter.plan(spec)          // no side effects
/// let handle = try await adapter.start(spec, plan: plan)
/// let seen = try await adapter.inspect(handle)     // .running, .exited(0), .failed(.oom, …)
/// try await adapter.stop(handle, grace: .seconds(10))
/// ```
public protocol RuntimeAdapter: RuntimeAdapterIdentity {
    /// Checks that the adapter can run `spec` at all (mode, overrides, GPU support), without
    /// looking at current capacity.
    /// - Throws: ``ErrorCode/runtimeSpecInvalid``.
    func validate(_ spec: LaunchSpec) throws(PlatformError)

    /// Decides where `spec` would run; starts nothing and reserves nothing.
    /// - Throws: ``ErrorCode/runtimePlacementUnsatisfiable`` when no node can ever take it
    ///   (`capacity`) or, for adapters without a queue, none can now (`busy`).
    func plan(_ spec: LaunchSpec) async throws -> PlacementPlan

    /// Starts the workload and returns the handle to persist.
    /// - Throws: ``ErrorCode/runtimeStartFailed`` (nothing is left running on failure).
    func start(_ spec: LaunchSpec, plan: PlacementPlan) async throws -> RuntimeHandle

    /// What the runtime says about the workload now.
    func inspect(_ handle: RuntimeHandle) async throws -> RuntimeObservation

    /// Log bytes from `offset` on (stdout and stderr interleaved as written).
    func logs(_ handle: RuntimeHandle, from offset: Int64) async throws -> LogChunk

    /// Asks the workload to stop (SIGTERM or the scheduler's cancel), then forces it after `grace`.
    func stop(_ handle: RuntimeHandle, grace: Duration) async throws

    /// Frees what the workload held while running (devices, scratch rootfs); logs stay.
    /// Called once the workload is terminal; safe to call twice.
    func release(_ handle: RuntimeHandle) async throws

    /// Removes every trace of the workload, logs included. Stops it first if needed.
    func destroy(_ handle: RuntimeHandle) async throws

    /// Re-attaches to a workload started by an earlier server process from its persisted
    /// handle, re-reserving what it holds; returns the handle to keep (possibly upgraded).
    /// - Throws: ``ErrorCode/runtimeHandleInvalid`` for another adapter's or an unknown version.
    func recover(_ handle: RuntimeHandle) async throws -> RuntimeHandle
}

/// Optional: run a command inside a running instance.
public protocol RuntimeExecSupport: RuntimeAdapter {
    /// Runs `command` in the instance's namespaces and returns its exit status and output.
    func exec(_ handle: RuntimeHandle, command: [String]) async throws -> ExecResult
}

/// Optional: reach an instance's port from the platform host when it is not directly routable.
public protocol RuntimePortForwardSupport: RuntimeAdapter {
    /// Opens a forward to the instance's `port` and returns where to connect.
    func forward(_ handle: RuntimeHandle, port: Int) async throws -> RuntimeEndpoint
}

/// What ``RuntimeExecSupport/exec(_:command:)`` returns.
public struct ExecResult: Sendable, Codable, Hashable {
    /// The command's exit status.
    public var status: Int32
    /// What it printed (stdout then stderr).
    public var output: String

    /// Creates a result.
    public init(status: Int32, output: String) {
        self.status = status
        self.output = output
    }
}

/// A host and port to connect to.
public struct RuntimeEndpoint: Sendable, Codable, Hashable {
    /// Host name or address.
    public var host: String
    /// TCP port.
    public var port: Int

    /// Creates an endpoint.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// A slice of an instance's log.
public struct LogChunk: Sendable, Hashable {
    /// Up to 1 MiB of `path` from `offset`; an absent file is an empty log.
    public static func read(_ path: String, from offset: Int64) throws -> LogChunk {
        let start = max(0, offset)
        guard let file = FileHandle(forReadingAtPath: path) else { return LogChunk(data: [], nextOffset: start) }
        defer { try? file.close() }
        try file.seek(toOffset: UInt64(start))
        let data = try file.read(upToCount: 1 << 20) ?? Data()
        return LogChunk(data: Array(data), nextOffset: start + Int64(data.count))
    }

    /// The bytes.
    public var data: [UInt8]
    /// The offset to ask for next.
    public var nextOffset: Int64

    /// Creates a chunk.
    public init(data: [UInt8], nextOffset: Int64) {
        self.data = data
        self.nextOffset = nextOffset
    }
}

extension RuntimeAdapter {
    /// Observations as they change, polling ``inspect(_:)`` every `interval`; ends after a
    /// terminal observation. A runtime without push events still gets one stream shape.
    public func events(_ handle: RuntimeHandle, every interval: Duration = .milliseconds(250)) -> AsyncThrowingStream<RuntimeObservation, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var last: RuntimeObservation?
                do {
                    while !Task.isCancelled {
                        let seen = try await inspect(handle)
                        if seen != last {
                            continuation.yield(seen)
                            last = seen
                        }
                        if seen.state.isTerminal { break }
                        try await Task.sleep(for: interval)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

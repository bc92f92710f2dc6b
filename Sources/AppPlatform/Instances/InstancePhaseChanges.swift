import Foundation
import PlatformContracts
import Synchronization

/// One phase change of one instance: what connect (sessions end when an instance leaves
/// `running`/`ready`), the metrics gauge and, later, notifications hear.
public struct InstancePhaseChange: Sendable, Hashable {
    /// The instance id.
    public var instance: String
    /// Its project.
    public var project: String
    /// Its tenant.
    public var tenant: String
    /// The phase before (`nil`: newly supervised, by admission or re-attachment).
    public var from: InstancePhase?
    /// The phase now.
    public var to: InstancePhase
    /// When.
    public var at: Timestamp

    /// Creates a change.
    public init(instance: String, project: String, tenant: String, from: InstancePhase?, to: InstancePhase, at: Timestamp) {
        self.instance = instance
        self.project = project
        self.tenant = tenant
        self.from = from
        self.to = to
        self.at = at
    }
}

/// Broadcasts ``InstancePhaseChange``s to every subscriber, in order, each through its own
/// unbounded `AsyncStream` (a slow subscriber delays nobody).
///
/// ```swift
/// let changes = instances.phaseChanges.subscribe()   // subscribe before the changes you need
/// for await change in changes where !change.to.isConnectable { … }
/// ```
public final class InstancePhaseChanges: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<InstancePhaseChange>.Continuation]>([:])

    /// Creates a broadcaster with no subscribers.
    public init() {}

    /// A stream of every change published from now on; it ends when the caller stops iterating.
    public func subscribe() -> AsyncStream<InstancePhaseChange> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: InstancePhaseChange.self)
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { $0[id] = nil } }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// Sends a change to every subscriber.
    func publish(_ change: InstancePhaseChange) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(change) }
    }
}

import Synchronization

/// Tells waiting feed readers (the SSE stream) that new feed rows may exist, so they query
/// at once instead of polling hard.
///
/// The fan-out signals after its transaction commits. A signal is a hint, not the data: a
/// reader still queries the feed after its cursor, and since another replica's fan-out does
/// not signal this process, readers also wake after a timeout (the polling fallback):
///
/// ```swift
/// var cursor: String? = nil
/// while !Task.isCancelled {
///     let items = try await inbox.feed(principal: p, project: nil, after: cursor, limit: 100)
///     for item in items { send(item); cursor = item.eventId }
///     if items.isEmpty { await signal.wait(timeout: .seconds(5)) }
/// }
/// ```
public final class NotificationFeedSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Creates a signal with no waiters.
    public init() {}

    /// How many feed changes were signalled since start (a reader can compare generations).
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every current waiter.
    public func signal() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation += 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns at the next ``signal()``, after `timeout`, or when the task is cancelled,
    /// whichever comes first.
    public func wait(timeout: Duration) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let resumeNow = self.state.withLock { state -> Bool in
                            if Task.isCancelled { return true }
                            state.waiters[id] = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    self.resume(id)
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func resume(_ id: UInt64) {
        let continuation = state.withLock { $0.waiters.removeValue(forKey: id) }
        continuation?.resume()
    }
}

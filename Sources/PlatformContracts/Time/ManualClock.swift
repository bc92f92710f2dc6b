import Synchronization

/// The test twin of ``PlatformClock``: time moves only when ``advance(by:)`` says so, and
/// every sleeper whose deadline falls within the advance is woken, in deadline order. The
/// fast test tier runs idle stops, readiness deadlines and metering intervals of minutes in
/// milliseconds of real time with it.
///
/// ```swift
/// let clock = ManualClock(start: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000))
/// Task { try await clock.sleep(for: .seconds(60)); print("a minute later") }
/// await clock.advance(by: .seconds(60))
/// ```
public final class ManualClock: PlatformClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Int64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var nowMs: Int64
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
    }

    private let state: Mutex<State>

    /// Creates a clock that reads `start` until advanced.
    public init(start: Timestamp = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)) {
        state = Mutex(State(nowMs: Int64(start.millisecondsSinceEpoch)))
    }

    /// The clock's current time.
    public func now() -> Timestamp {
        Timestamp(millisecondsSinceEpoch: UInt64(state.withLock { $0.nowMs }))
    }

    /// How many tasks are asleep on this clock now (a test waits for a loop to reach its sleep).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Suspends until the clock has been advanced past `duration` from now.
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: (any Error)?? = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return .some(CancellationError()) }
                    let deadline = state.nowMs + max(0, duration.wholeMilliseconds)
                    if duration <= .zero { return .some(nil) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return .none
                }
                switch resumeNow {
                case .some(.some(let error)): continuation.resume(throwing: error)
                case .some(.none): continuation.resume()
                case .none: break
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward by `duration`, waking every sleeper whose deadline is reached, in
    /// deadline order, and yielding after each so woken tasks run before time moves on.
    public func advance(by duration: Duration) async {
        let target = state.withLock { $0.nowMs } + max(0, duration.wholeMilliseconds)
        while true {
            let due = state.withLock { state -> Sleeper? in
                guard let next = state.sleepers.min(by: { ($0.deadline, $0.id) < ($1.deadline, $1.id) }), next.deadline <= target else {
                    state.nowMs = target
                    return nil
                }
                state.sleepers.removeAll { $0.id == next.id }
                state.nowMs = max(state.nowMs, next.deadline)
                return next
            }
            guard let due else { break }
            due.continuation.resume()
            for _ in 0..<8 { await Task.yield() }
        }
        for _ in 0..<8 { await Task.yield() }
    }
}

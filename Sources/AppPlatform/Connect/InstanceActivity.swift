import Synchronization

/// When connect traffic last reached each instance (ms since the epoch): connect writes it
/// on every session use, the supervisor's idle stop reads it. Connect state, kept with
/// connect, so the instance core does not hold it.
///
/// With several replicas the traffic may pass through one that does not supervise the
/// instance: what was noted since the last flush is written to the instance's row
/// (`connect_activity_ms`, see ``InstanceSupervisor``'s leases), and the supervising replica
/// reads it before an idle stop.
public final class InstanceActivity: Sendable {
    private struct State {
        var lastMs: [String: Int64] = [:]
        /// Noted since the last ``takeUnflushed()``.
        var unflushed: [String: Int64] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty table.
    public init() {}

    /// Connect traffic reached `instance` at `ms`.
    public func note(_ instance: String, atMs ms: Int64) {
        state.withLock { state in
            state.lastMs[instance] = max(state.lastMs[instance] ?? ms, ms)
            state.unflushed[instance] = max(state.unflushed[instance] ?? ms, ms)
        }
    }

    /// Activity another replica recorded on the row: counted here, not written back.
    func noteRecorded(_ instance: String, atMs ms: Int64) {
        state.withLock { state in state.lastMs[instance] = max(state.lastMs[instance] ?? ms, ms) }
    }

    /// The last activity, if any was seen.
    public func last(_ instance: String) -> Int64? { state.withLock { $0.lastMs[instance] } }

    /// Forgets an instance that can no longer be connected to.
    public func forget(_ instance: String) {
        state.withLock { state in
            state.lastMs[instance] = nil
            state.unflushed[instance] = nil
        }
    }

    /// What was noted since the last call (to be written to the rows); a failed write gives
    /// it back with ``restore(_:)``.
    func takeUnflushed() -> [String: Int64] {
        state.withLock { state in
            defer { state.unflushed = [:] }
            return state.unflushed
        }
    }

    /// Puts back activity a flush could not write.
    func restore(_ unflushed: [String: Int64]) {
        state.withLock { state in state.unflushed.merge(unflushed) { max($0, $1) } }
    }
}

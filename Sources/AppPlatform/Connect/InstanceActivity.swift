import Synchronization

/// When connect traffic last reached each instance (ms since the epoch): connect writes it
/// on every session use, the supervisor's idle stop reads it. Connect state, kept with
/// connect, so the instance core does not hold it.
public final class InstanceActivity: Sendable {
    private let lastMs = Mutex<[String: Int64]>([:])

    /// Creates an empty table.
    public init() {}

    /// Connect traffic reached `instance` at `ms`.
    public func note(_ instance: String, atMs ms: Int64) {
        lastMs.withLock { $0[instance] = max($0[instance] ?? ms, ms) }
    }

    /// The last activity, if any was seen.
    public func last(_ instance: String) -> Int64? { lastMs.withLock { $0[instance] } }

    /// Forgets an instance that can no longer be connected to.
    public func forget(_ instance: String) { lastMs.withLock { $0[instance] = nil } }
}

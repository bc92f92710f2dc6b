import PlatformContracts
import Synchronization

/// How the rating worker's last transaction went, for `/readyz` (`ledger:writer`) and the
/// status page: the ledger writer is unhealthy when its last transaction failed — usage keeps
/// buffering durably in the queue meanwhile, and is rated once it succeeds again.
public final class RatingHealth: Sendable {
    /// A copy of the state.
    public struct State: Sendable, Hashable {
        /// When the last pass committed.
        public var lastSuccess: Timestamp?
        /// When the last pass failed, and why; nil after a pass commits.
        public var lastFailure: Timestamp?
        public var lastError: String?

        /// Whether the most recent pass failed.
        public var lastTransactionFailed: Bool { lastFailure != nil }
    }

    private let state = Mutex(State())

    /// Creates a healthy state (no pass yet).
    public init() {}

    /// The current state.
    public var current: State { state.withLock { $0 } }

    func succeeded(at: Timestamp) {
        state.withLock { $0 = State(lastSuccess: at, lastFailure: nil, lastError: nil) }
    }

    func failed(at: Timestamp, error: String) {
        state.withLock { state in
            state.lastFailure = at
            state.lastError = error
        }
    }
}

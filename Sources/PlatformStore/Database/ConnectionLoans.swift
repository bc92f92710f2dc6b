import Synchronization

/// Counts the connections lent out of a pool, so that shutting the pool down waits for them:
/// a connection handed back after the pool has shut down is closed and dropped at once, and
/// SQLiteNIO asserts (a crash in debug builds) when a connection is dropped before its close
/// finished. Shutdown therefore refuses new loans, waits for the lent ones (bounded), then
/// shuts the pool down.
final class ConnectionLoans: Sendable {
    private struct State {
        var lent = 0
        var closing = false
    }

    private let state = Mutex(State())

    /// Takes a loan; `false` once shutdown has begun.
    func begin() -> Bool {
        state.withLock { state in
            guard !state.closing else { return false }
            state.lent += 1
            return true
        }
    }

    /// Returns a loan.
    func end() {
        state.withLock { $0.lent -= 1 }
    }

    /// Refuses new loans, then waits until every lent connection is back or `limit` passes.
    func drain(limit: Duration = .seconds(10)) async {
        state.withLock { $0.closing = true }
        let deadline = ContinuousClock.now + limit
        while state.withLock({ $0.lent }) > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}

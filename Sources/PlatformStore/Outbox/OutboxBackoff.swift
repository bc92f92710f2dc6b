import PlatformContracts

/// How long a failed intent waits before its next attempt: exponential growth from ``base``
/// capped at ``cap``, with "equal jitter" (half the delay fixed, half random) so that many
/// intents failing together against one receiver do not retry in lockstep, while (below the
/// cap) every delay stays at least as long as the previous attempt's.
public struct OutboxBackoff: Sendable {
    /// The delay ceiling before jitter of the first retry.
    public var base: Duration
    /// The largest delay ceiling.
    public var cap: Duration
    /// Attempts in all (first try included) before an intent is dead-lettered.
    public var maxAttempts: Int

    /// Creates a policy.
    /// - Parameters:
    ///   - base: First retry's ceiling (default 1 s).
    ///   - cap: Largest ceiling (default 10 min).
    ///   - maxAttempts: Attempts before dead letter (default 8).
    public init(base: Duration = .seconds(1), cap: Duration = .seconds(600), maxAttempts: Int = 8) {
        self.base = base
        self.cap = cap
        self.maxAttempts = max(1, maxAttempts)
    }

    /// The wait after the `attempt`-th failed attempt (1-based).
    /// - Parameters:
    ///   - attempt: How many attempts have failed so far.
    ///   - jitter: A number in `0..<1` from the dispatcher's random source.
    public func delay(afterAttempt attempt: Int, jitter: Double) -> Duration {
        let baseMs = Double(base.wholeMilliseconds)
        let exponent = Double(min(max(attempt - 1, 0), 40))
        let ceiling = min(Double(cap.wholeMilliseconds), baseMs * pow2(exponent))
        let clamped = min(max(jitter, 0), 1)
        return .milliseconds(Int64(ceiling / 2 + ceiling / 2 * clamped))
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}

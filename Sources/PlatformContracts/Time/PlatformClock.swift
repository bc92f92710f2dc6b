/// Time as the platform reads it and waits on it: wall-clock timestamps and sleeps come from
/// one injected source, so a test drives both (``ManualClock``) and production uses the
/// host's (``SystemClock``). Everything in the app platform that waits or timestamps takes one.
///
/// ```swift
/// let clock: any PlatformClock = SystemClock()
/// let started = clock.now()
/// try await clock.sleep(for: .milliseconds(250))
/// ```
public protocol PlatformClock: Sendable {
    /// The current wall-clock time.
    func now() -> Timestamp
    /// Suspends for `duration` of this clock's time.
    /// - Throws: `CancellationError` when the task is cancelled first.
    func sleep(for duration: Duration) async throws
}

/// The host's clock: `CLOCK_REALTIME` timestamps and `Task.sleep` waits.
public struct SystemClock: PlatformClock {
    /// Creates the host clock.
    public init() {}

    /// The host's wall-clock time.
    public func now() -> Timestamp { Timestamp.now() }

    /// Sleeps on the continuous clock.
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

extension PlatformClock {
    /// Milliseconds since the epoch, as the instance rows store times.
    public func nowMilliseconds() -> Int64 { Int64(now().millisecondsSinceEpoch) }
}

extension Duration {
    /// Whole milliseconds (rounded down).
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}

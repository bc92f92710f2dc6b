import PlatformContracts
import RuntimeKit

/// Which live instances are due for an idle stop: those whose app sets
/// `lifecycle.idleStopMinutes` and that saw no connect activity for that long, counted from
/// when they started running. A minute is a minute of the caller's clock (the supervisor's
/// injected ``PlatformClock``), so tests make minutes pass with a ``ManualClock``.
///
/// A decision only: ``InstanceSupervisor`` asks it once per poll and requests the stops, so
/// the rule can change (a per-action policy, notifications before the stop) without touching
/// the phase machine's owner.
struct IdleStopPolicy: Sendable {
    /// An idle stop due now: the instance and its app's `idleStopMinutes`.
    struct Due: Sendable {
        let row: InstanceRow
        let minutes: Int

        /// The stop's message (also in the audit record), naming the manifest field.
        var message: String { "idle: no connect activity for \(minutes) min (lifecycle.idleStopMinutes)" }
    }

    static let minuteMs: Int64 = 60_000

    /// When connect traffic last reached each instance (written by connect's data plane).
    let activity: InstanceActivity

    /// The instances of `rows` idle for their app's `idleStopMinutes` at `now` (ms): connectable,
    /// not already stopping, and with no activity since `max(last activity, running since)`.
    func due(_ rows: [InstanceRow], now: Int64) -> [Due] {
        rows.compactMap { row in
            guard row.phase.isConnectable, !row.stopRequested, let minutes = row.spec.idleStopMinutes, minutes > 0,
                  let since = row.runningSinceMs else { return nil }
            let last = max(activity.last(row.id) ?? since, since)
            return Self.idleLongEnough(now: now, last: last, minutes: minutes, minuteMs: Self.minuteMs) ? Due(row: row, minutes: minutes) : nil
        }
    }

    /// Whether `minutes` idle minutes have passed between `last` and `now`. The manifest
    /// schema bounds `idleStopMinutes`, and the product is checked anyway: a value too large
    /// to count in milliseconds means "never", where `Int64(minutes) * minuteMs` once trapped
    /// the supervisor and with it the server.
    static func idleLongEnough(now: Int64, last: Int64, minutes: Int, minuteMs: Int64) -> Bool {
        let (limit, overflow) = Int64(minutes).multipliedReportingOverflow(by: minuteMs)
        let (elapsed, backwards) = now.subtractingReportingOverflow(last)
        return !overflow && !backwards && elapsed >= limit
    }
}

@testable import AppPlatform
import PlatformContracts
import RuntimeKit
import Testing

/// The small decisions the supervisor delegates: which instances are idle, and when a sent
/// stop is sent again.
@Suite("Supervisor parts")
struct SupervisorPartsTests {
    static func row(_ id: String, phase: InstancePhase = .ready, idleMinutes: Int? = 2, runningSinceMs: Int64? = 0,
                    stop: StopCause? = nil) throws -> InstanceRow {
        var row = try InstanceRowFixture.row(id: id)
        (row.phase, row.spec.idleStopMinutes, row.runningSinceMs, row.stopCause) = (phase, idleMinutes, runningSinceMs, stop)
        return row
    }

    @Test func idleStopPolicyPicksConnectableInstancesIdleForTheirMinutesSinceRunningOrActivity() throws {
        let activity = InstanceActivity()
        let policy = IdleStopPolicy(activity: activity)
        let rows = try [
            Self.row("IDLE"), Self.row("ACTIVE"), Self.row("LATE", runningSinceMs: 60_000), Self.row("NEVER", idleMinutes: nil),
            Self.row("ZERO", idleMinutes: 0), Self.row("STOPPING", stop: .requested), Self.row("STARTING", phase: .starting),
            Self.row("RUNNING", phase: .running), Self.row("NOTRUNNING", runningSinceMs: nil),
        ]
        activity.note("ACTIVE", atMs: 30_000)
        #expect(policy.due(rows, now: 119_999).map(\.row.id) == [])
        #expect(policy.due(rows, now: 120_000).map(\.row.id) == ["IDLE", "RUNNING"])
        #expect(policy.due(rows, now: 180_000).map(\.row.id) == ["IDLE", "ACTIVE", "LATE", "RUNNING"])
        #expect(policy.due(rows, now: 120_000).first?.message == "idle: no connect activity for 2 min (lifecycle.idleStopMinutes)")
    }

    @Test func aSentStopIsSentAgainOnlyAfterItsGracePlusTheMargin() {
        var stops = StopReissueLedger(grace: .seconds(10))
        var claims: [Bool] = []
        claims.append(stops.claimIfOverdue("A", nowMs: 1_000))  // none sent yet
        claims.append(stops.claimIfOverdue("A", nowMs: 15_999))  // within grace + margin
        claims.append(stops.claimIfOverdue("A", nowMs: 16_000))
        stops.sent("B", atMs: 0)
        claims.append(stops.claimIfOverdue("B", nowMs: 14_999))
        stops.forget("B")
        claims.append(stops.claimIfOverdue("B", nowMs: 1_000))  // a forgotten instance starts over
        #expect(claims == [true, false, true, false, true])
    }
}

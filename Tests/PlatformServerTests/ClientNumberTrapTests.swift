@testable import AppPlatform
import Testing

/// Numbers that come from a registered app's manifest and reach arithmetic in a background
/// loop: there a trap would take the whole server down, so the arithmetic is checked.
@Suite("Manifest numbers in the supervisor")
struct ClientNumberTrapTests {
    @Test func hugeIdleStopMinutesMeansNeverInsteadOfTrappingTheSupervisor() {
        let minute: Int64 = 60_000
        #expect(!IdleStopPolicy.idleLongEnough(now: 1_000_000_000, last: 0, minutes: Int.max, minuteMs: minute))
        #expect(!IdleStopPolicy.idleLongEnough(now: 1_000_000_000, last: 0, minutes: 153_722_867_280_913, minuteMs: minute))
        #expect(IdleStopPolicy.idleLongEnough(now: 120_000, last: 0, minutes: 2, minuteMs: minute))
        #expect(!IdleStopPolicy.idleLongEnough(now: 119_999, last: 0, minutes: 2, minuteMs: minute))
        #expect(!IdleStopPolicy.idleLongEnough(now: Int64.min, last: Int64.max, minutes: 1, minuteMs: minute))
    }
}

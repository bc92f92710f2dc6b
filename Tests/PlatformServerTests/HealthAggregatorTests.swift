import PlatformContracts
import StatusService
import Testing
import PlatformTestKit

struct FixedCheck: HealthCheck {
    let key: String
    let status: HealthStatus
    func check() async -> HealthCheckResult { HealthCheckResult(status: status) }
}

/// A check that ignores cancellation and never answers in time, like a hung driver.
struct HangingCheck: HealthCheck {
    let key = "hanging:responseTime"
    func check() async -> HealthCheckResult {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .seconds(60))
        while clock.now < end { try? await Task.sleep(for: .milliseconds(50)) }
        return HealthCheckResult(status: .pass)
    }
}

@Suite("Health aggregation")
struct HealthAggregatorTests {
    @Test("the overall status is the worst check's")
    func worstWins() async {
        let health = HealthAggregator(
            checks: [FixedCheck(key: "a:x", status: .pass), FixedCheck(key: "b:y", status: .warn)], version: "t")
        #expect(await health.readiness().status == .warn)
        let failing = HealthAggregator(
            checks: [FixedCheck(key: "a:x", status: .warn), FixedCheck(key: "b:y", status: .fail)], version: "t")
        let report = await failing.readiness()
        #expect(report.status == .fail)
        #expect(report.checks.count == 2)
    }

    @Test("a check that hangs fails at the deadline instead of hanging readiness", .tags(.integration, .timing))
    func hangingCheckFails() async {
        let health = HealthAggregator(checks: [HangingCheck()], version: "t", deadline: .milliseconds(200))
        let clock = ContinuousClock()
        let start = clock.now
        let report = await health.readiness()
        // The check answers `pass` only after 60 s: `fail` and a return well before that show
        // readiness gave up at the deadline; the bound is loose so a loaded machine passes.
        #expect(clock.now - start < .seconds(55))
        #expect(report.status == .fail)
        #expect(report.checks["hanging:responseTime"]?.first?.output?.contains("did not answer") == true)
    }

    @Test("liveness consults no check")
    func liveness() {
        let health = HealthAggregator(checks: [FixedCheck(key: "a:x", status: .fail)], version: "t")
        let report = health.liveness()
        #expect(report.status == .pass)
    }
}

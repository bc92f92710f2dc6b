import PlatformContracts

/// `policy:age` for `/readyz`: the local snapshot's age against the freshness budget. It
/// passes up to half the budget, warns above (refreshes are failing, writes still work), and
/// fails past the budget, when capacity, authority and financial writes fail closed.
public struct PolicyHealthCheck: HealthCheck {
    /// The check key.
    public let key = "policy:age"
    let policy: PolicyService

    /// Creates the check.
    public init(policy: PolicyService) { self.policy = policy }

    /// Measures the age of the snapshot a read would use.
    public func check() async -> HealthCheckResult {
        let read = await policy.read()
        let age = read.age.wholeMilliseconds
        let budget = policy.settings.freshnessBudget.wholeMilliseconds
        let status: HealthStatus = age > budget ? .fail : age > budget / 2 ? .warn : .pass
        let output: String? = switch status {
        case .pass: nil
        case .warn: "policy snapshot \(read.snapshot.id) last confirmed \(age) ms ago, over half the \(budget) ms freshness budget: refreshes are failing"
        case .fail: "policy snapshot \(read.snapshot.id) last confirmed \(age) ms ago, past the \(budget) ms freshness budget: capacity, authority and financial writes are refused"
        }
        return HealthCheckResult(status: status, componentType: "component", observedValue: age, observedUnit: "ms",
                                 time: policy.clock.now(), output: output)
    }
}

import PlatformContracts
import PlatformServer
import Testing

/// `--policy-freshness-budget` and `--policy-refresh-interval`: defaults, sources, and the
/// values refused at start with `config.invalid`.
@Suite("Policy configuration")
struct PolicyConfigurationTests {
    @Test("the freshness budget defaults to 300 s and the refresh interval to 15 s; flags and environment set them")
    func defaultsAndSources() throws {
        let defaults = try ServerConfiguration.resolve(flags: .init(), environment: [:])
        #expect(defaults.policyFreshnessBudgetSeconds == 300 && defaults.policyRefreshIntervalSeconds == 15)
        let flags = try ServerConfiguration.resolve(flags: .init(policyFreshnessBudget: "60", policyRefreshInterval: "5"), environment: [:])
        #expect(flags.policyFreshnessBudgetSeconds == 60 && flags.policyRefreshIntervalSeconds == 5)
        let environment = try ServerConfiguration.resolve(
            flags: .init(), environment: ["PLATFORMD_POLICY_FRESHNESS_BUDGET": "120", "PLATFORMD_POLICY_REFRESH_INTERVAL": "30"])
        #expect(environment.policyFreshnessBudgetSeconds == 120 && environment.policyRefreshIntervalSeconds == 30)
    }

    @Test("a budget or interval out of range, not a number, or an interval not below the budget is config.invalid",
          arguments: [("0", nil), ("9", nil), ("86401", nil), ("5m", nil), (nil, "0"), (nil, "3601"), (nil, "300"), ("20", "20")]
                as [(String?, String?)])
    func invalidValuesAreRefused(budget: String?, interval: String?) {
        #expect {
            _ = try ServerConfiguration.resolve(flags: .init(policyFreshnessBudget: budget, policyRefreshInterval: interval), environment: [:])
        } throws: { error in
            (error as? PlatformError)?.code == .configInvalid
        }
    }
}

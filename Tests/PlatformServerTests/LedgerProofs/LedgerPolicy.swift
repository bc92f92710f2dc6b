import PlatformContracts

/// A hand-built policy snapshot for the ledger suites: plan `plan.test` for every tenant, the
/// billing policies at their registry defaults (postpaid, no budget stop) and a price book
/// with one price per unit the suites meter.
enum LedgerPolicy {
    /// Prices at asset scale 6 (micro-dollars) of one unit.
    static let prices: [String: Int64] = ["app-runtime-hour": 100_000, "gpu-hour.h100": 2_500_000, "inference.token": 2_000]

    static let priceBook = PriceBook(
        version: 1, currency: "USD", assetScale: 6,
        entries: prices.sorted { $0.key < $1.key }.map {
            PriceBook.Entry(plan: "*", unit: $0.key, unitPrice: $0.value, effectiveFrom: Timestamp(millisecondsSinceEpoch: 0))
        })

    static func snapshot(prepaidTenants: Set<String> = []) -> PolicySnapshot {
        let definitions: [String: PolicyDefinition] = [
            "billing.prepaid": PolicyDefinition(policyKey: "billing.prepaid", scope: .tenant, type: .flag, default: .flag(false), description: "prepaid"),
            "billing.budget_stops_running": PolicyDefinition(policyKey: "billing.budget_stops_running", scope: .project, type: .flag,
                                                             default: .flag(false), description: "stop"),
            "billing.budget_grace_seconds": PolicyDefinition(policyKey: "billing.budget_grace_seconds", scope: .project, type: .integer,
                                                             default: .integer(900), description: "grace"),
        ]
        let overrides = prepaidTenants.sorted().map { PolicyOverride(target: .tenant($0), key: "billing.prepaid", value: .flag(true)) }
        return PolicySnapshot(id: "01JLEDGERP0L1CYSNAPSH0T001", version: 1, createdAt: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000),
                              definitions: definitions, plans: ["plan.test": PolicyPlan(planId: "plan.test", description: "test", values: [:])],
                              defaultPlan: "plan.test", overrides: overrides, priceBook: priceBook)
    }

    static func fixed(prepaidTenants: Set<String> = []) -> FixedPolicyEvaluator { FixedPolicyEvaluator(snapshot(prepaidTenants: prepaidTenants)) }
}

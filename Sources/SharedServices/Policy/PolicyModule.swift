import PlatformContracts

/// The `policy` module: versioned, immutable policy snapshots in `policy_snapshots`, served
/// by ``PolicyService`` (``PolicyEvaluator`` and ``PolicyAdministration``) and kept fresh by
/// ``PolicyRefresher``; the composition root registers the module so start-up logs and
/// `/version` say so.
public enum PolicyModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "policy",
        kind: .sharedService,
        contract: "PolicyEvaluator",
        summary: "versioned immutable snapshots of policies.yaml v2 (plans, tenant plans, departments, overrides; resolved plan → tenant → department → project), every change a new audited snapshot; writes fail closed past the freshness budget (policy.stale), reads are stamped with the snapshot's age; /readyz policy:age."
    )
}

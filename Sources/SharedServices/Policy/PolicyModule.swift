import PlatformContracts

/// The `policy` module: quotas and flags from versioned snapshots with a freshness budget.
///
/// Its implementation of `PolicyEvaluator` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum PolicyModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "policy",
        kind: .sharedService,
        contract: "PolicyEvaluator",
        summary: "quotas and flags from versioned snapshots with a freshness budget."
    )
}

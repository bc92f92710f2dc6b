import PlatformContracts

/// The `policy` module, a shell: the `PolicyEvaluator` contract exists, its implementation
/// does not yet. Quotas come from the `--quota-plan` policy of `policies.yaml`, read once
/// at start-up by the composition root; the composition root registers the module so
/// start-up logs and `/version` say so.
public enum PolicyModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "policy",
        kind: .sharedService,
        contract: "PolicyEvaluator",
        summary: "shell: the PolicyEvaluator contract only; quotas come from the --quota-plan policy in policies.yaml, read at start-up."
    )
}

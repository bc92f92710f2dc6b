import PlatformContracts

/// The `iam` module: tenants, projects, principals, scoped API keys and fail-closed authorization.
///
/// Its implementation of `AccessControl` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum IAMModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "iam",
        kind: .sharedService,
        contract: "AccessControl",
        summary: "tenants, projects, principals, scoped API keys and fail-closed authorization."
    )
}

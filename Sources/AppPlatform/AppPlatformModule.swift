import PlatformContracts

/// The `apps` module: the app catalog and launch/connect orchestration.
///
/// Its implementation of `InstancePhase` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum AppPlatformModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "apps",
        kind: .product,
        contract: "InstancePhase",
        summary: "the app catalog and launch/connect orchestration."
    )
}

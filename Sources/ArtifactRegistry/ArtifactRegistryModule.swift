import PlatformContracts

/// The `artifacts` module: the OCI Distribution v1.1 registry, signatures, trust states and promotion gates.
///
/// Its implementation of `TrustState` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum ArtifactRegistryModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "artifacts",
        kind: .product,
        contract: "TrustState",
        summary: "the OCI Distribution v1.1 registry, signatures, trust states and promotion gates."
    )
}

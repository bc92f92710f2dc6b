import PlatformContracts

/// The `artifacts` module: the OCI Distribution v1.1 registry (``OCIRegistry``), signature
/// verification (``AttestationVerifier``) and trust states with evidence-gated promotion
/// (``TrustLedger``).
public enum ArtifactRegistryModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "artifacts",
        kind: .product,
        contract: "TrustState",
        summary: "the OCI Distribution v1.1 registry, signatures, trust states and promotion gates."
    )
}

import PlatformContracts

/// The `evidence` module: evidence bundles (in-toto statements in DSSE) and release gates.
///
/// Its implementation of `EvidenceStore` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum EvidenceModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "evidence",
        kind: .sharedService,
        contract: "EvidenceStore",
        summary: "evidence bundles (in-toto statements in DSSE) and release gates."
    )
}

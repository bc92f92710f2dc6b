import PlatformContracts

/// The `evidence` module, a shell: the `EvidenceStore` contract exists, its implementation
/// does not yet. Evidence attached to artifacts (in-toto statements in DSSE) is stored and
/// checked by the artifacts module's trust ledger; the composition root registers the
/// module so start-up logs and `/version` say so.
public enum EvidenceModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "evidence",
        kind: .sharedService,
        contract: "EvidenceStore",
        summary: "shell: the EvidenceStore contract only; artifact evidence and promotion gates live in the artifacts module."
    )
}

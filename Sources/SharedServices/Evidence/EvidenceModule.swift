import PlatformContracts

/// The `evidence` module: the shared operating record (`EvidenceRecords`, the `EvidenceStore`
/// contract over `evidence_records`), the evidence validator (each type's predicate JSON
/// Schema from the evidence-type registry, scan severity derived from SARIF / CycloneDX VEX
/// findings) and releases. Artifact referrers are still verified by the artifacts module's
/// trust ledger, which asks this module's validator about their content.
public enum EvidenceModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "evidence",
        kind: .sharedService,
        contract: "EvidenceStore",
        summary: "the operating record (evidence_records), predicate validation against each evidence type's JSON Schema, releases with their bundles, gates and signed decisions."
    )
}

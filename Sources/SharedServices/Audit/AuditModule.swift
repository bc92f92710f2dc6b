import PlatformContracts

/// The `audit` module: the append-only, hash-chained audit log with signed checkpoints.
///
/// Its implementation of `AuditRecorder` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum AuditModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "audit",
        kind: .sharedService,
        contract: "AuditRecorder",
        summary: "the append-only, hash-chained audit log with signed checkpoints."
    )
}

import PlatformContracts

/// The `metering` module: idempotent usage events rated into a double-entry ledger.
///
/// Its implementation of `UsageRecorder` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum MeteringModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "metering",
        kind: .sharedService,
        contract: "UsageRecorder",
        summary: "idempotent usage events rated into a double-entry ledger."
    )
}

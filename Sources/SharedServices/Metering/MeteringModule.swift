import PlatformContracts

/// The `metering` module: idempotent usage events (``UsageEventLog``, its `UsageRecorder`);
/// the app platform records each running instance's usage per metering interval. Rating
/// events into a double-entry ledger is not built yet.
public enum MeteringModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "metering",
        kind: .sharedService,
        contract: "UsageRecorder",
        summary: "idempotent usage events, recorded per metering interval for each running instance; rating into a ledger is not built yet."
    )
}

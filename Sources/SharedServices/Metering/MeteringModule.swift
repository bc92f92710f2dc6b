import PlatformContracts

/// The `metering` module: idempotent usage events from every product path (``UsageEventLog``,
/// its `UsageRecorder`), rated by the ``RatingWorker`` with the policy snapshot's price book
/// into a double-entry ledger, with balance rollups, budgets and credits, and monthly
/// statements (``BillingService``, its `BillingLedger` and `SpendGuard`).
public enum MeteringModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "metering",
        kind: .sharedService,
        contract: "UsageRecorder",
        summary: "idempotent usage events (instances, GPUs, registry storage, products' batches), rated as they arrive (the worker wakes on ingest) into a double-entry ledger with as-of balances, budgets, credits and monthly statements."
    )
}

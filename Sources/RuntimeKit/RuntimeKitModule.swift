import PlatformContracts

/// The `runtime` module: the adapter contract helpers, supervisor, GPU inventory and the adapter conformance suite.
///
/// Present so far: GPU discovery (``NvidiaSMI``) and placement (``GPUInventory``). The adapter
/// lifecycle verbs, the supervisor and the conformance suite land with the rest of issue 6.
public enum RuntimeKitModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "runtime",
        kind: .product,
        contract: "RuntimeAdapterIdentity",
        summary: "the adapter contract helpers, supervisor, GPU inventory and the adapter conformance suite."
    )
}

import PlatformContracts

/// The `runtime` module: the adapter contract helpers, supervisor, GPU inventory and the adapter conformance suite.
///
/// Its implementation of `RuntimeAdapterIdentity` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum RuntimeKitModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "runtime",
        kind: .product,
        contract: "RuntimeAdapterIdentity",
        summary: "the adapter contract helpers, supervisor, GPU inventory and the adapter conformance suite."
    )
}

import PlatformContracts

/// The `runtime` module: the runtime adapter contract (``RuntimeAdapter``, ``LaunchSpec``,
/// observations), GPU discovery (``NvidiaSMI``, declared GPUs) and placement
/// (``GPUInventory``), image unpacking with its cache, and the host command runner. The
/// adapters themselves are targets under `runtime-adapters/`; the instance supervisor is in
/// the app platform; the adapter conformance suite is in `Tests/RuntimeKitTests`.
public enum RuntimeKitModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "runtime",
        kind: .product,
        contract: "RuntimeAdapterIdentity",
        summary: "the runtime adapter contract, GPU discovery and placement, image unpacking and cache, the host command runner."
    )
}

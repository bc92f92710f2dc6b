import PlatformContracts

/// The local adapter: runs an app's OCI image on this host under runc, podman or
/// bubblewrap. Its lifecycle verbs land with the runtime issue; its capabilities are
/// declared now so the portal's launch matrix can render them.
public struct LocalRuntimeAdapter: RuntimeAdapterIdentity {
    /// The fixed capabilities value.
    public let capabilities = RuntimeAdapterCapabilities(
        name: "local",
        modes: ["interactive", "service", "job"],
        gpus: true,
        exec: false,
        portForward: true,
        recover: true
    )

    /// Creates the adapter.
    public init() {}
}

import PlatformContracts

/// The `registry` module: the eight versioned registries seeded from manifests/platform/.
///
/// Its implementation of `RegistryCatalog` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum RegistryModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "registry",
        kind: .sharedService,
        contract: "RegistryCatalog",
        summary: "the eight versioned registries seeded from manifests/platform/."
    )
}

import PlatformContracts

/// The `secrets` module: per-project trusted signing keys; private keys never enter it.
///
/// Its implementation of `SigningKeyDirectory` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum SecretsModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "secrets",
        kind: .sharedService,
        contract: "SigningKeyDirectory",
        summary: "per-project trusted signing keys; private keys never enter it."
    )
}

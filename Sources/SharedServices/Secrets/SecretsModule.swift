import PlatformContracts

/// The `secrets` module: per-project trusted signing keys; private keys never enter it.
/// Implementation: ``SigningKeyStore``.
public enum SecretsModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "secrets",
        kind: .sharedService,
        contract: "SigningKeyDirectory",
        summary: "per-project trusted signing keys; private keys never enter it."
    )
}

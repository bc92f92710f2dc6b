import PlatformContracts

/// The `secrets` module: per-project trusted signing keys (private keys never enter it) and
/// runtime secret custody (envelope-encrypted, write-only values delivered into instances).
/// Implementations: ``SigningKeyStore`` and ``SecretStore``.
public enum SecretsModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "secrets",
        kind: .sharedService,
        contract: "SigningKeyDirectory, SecretCustody",
        summary: "per-project trusted signing keys (private keys never enter it) and runtime secret custody: envelope-encrypted, write-only values, each delivery audited."
    )
}

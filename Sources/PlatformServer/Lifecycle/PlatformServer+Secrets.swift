import AuditService
import Logging
import PlatformStore
import SecretsService

extension PlatformServer {
    /// Secret custody over the store, the keyring and the purpose registry that
    /// ``HostFiles`` loaded (`nil` only when they were not loaded: the secrets routes then
    /// answer 500 and launches that name secrets fail to start).
    static func makeSecrets(store: SQLStore, audit: AuditLog, files: HostFiles, logger: Logger) -> SecretStore? {
        guard let keyring = files.secretsKeyring, let purposes = files.secretPurposes else { return nil }
        logger.info("secrets master keyring loaded", metadata: ["primary": "\(keyring.primary.id)", "keys": "\(keyring.keys.count)"])
        return SecretStore(store: store, audit: audit, purposes: purposes, keyring: keyring, logger: logger)
    }
}

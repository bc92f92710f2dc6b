import Foundation
import PlatformAPI
import PlatformContracts

/// Handlers of the secrets endpoints over ``SecretCustody``. SCAFFOLD: the secrets owner
/// completes them. No handler ever answers a value.
extension V1Routes {
    func setSecret(_ input: OfItem<ProjectItems.Secret, SecretWriteRequest>, _ context: PlatformRequestContext,
                   _ caller: Caller) async throws -> Reply<SecretRecord> {
        throw PlatformError(.internalError, "setSecret is not built yet")
    }

    func listSecrets(_ input: OfProject<NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[SecretRecord]> {
        throw PlatformError(.internalError, "listSecrets is not built yet")
    }

    func deleteSecret(_ input: OfItem<ProjectItems.Secret, NoBody>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<NoContent> {
        throw PlatformError(.internalError, "deleteSecret is not built yet")
    }

    func rotateSecret(_ input: OfItem<ProjectItems.Secret, SecretWriteRequest>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<SecretRecord> {
        throw PlatformError(.internalError, "rotateSecret is not built yet")
    }

    func rotateSecretMasterKey(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<MasterKeyRotation> {
        throw PlatformError(.internalError, "rotateSecretMasterKey is not built yet")
    }

    func requireSecrets() throws(PlatformError) -> any SecretCustody {
        guard let secrets else { throw PlatformError(.internalError, "this server has no secret custody") }
        return secrets
    }
}

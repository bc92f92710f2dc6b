import Foundation
import PlatformAPI
import PlatformContracts

/// Handlers of the secrets endpoints over ``SecretCustody``. Values are write-only: they
/// arrive base64 in a request body and no handler ever answers one (records carry names,
/// purposes, versions and the wrapping key's id).
extension V1Routes {
    func setSecret(_ input: OfItem<ProjectItems.Secret, SecretWriteRequest>, _ context: PlatformRequestContext,
                   _ caller: Caller) async throws -> Reply<SecretRecord> {
        let project = try context.requireProject()
        let value = try Self.secretValue(input.body)
        return .value(try await requireSecrets().set(project: project.id, name: input.path.item, purpose: input.body.purpose, value: value,
                                                     actor: caller.principalId, requestID: context.requestID))
    }

    func listSecrets(_ input: OfProject<NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[SecretRecord]> {
        .value(try await requireSecrets().list(project: try context.requireProject().id))
    }

    func deleteSecret(_ input: OfItem<ProjectItems.Secret, NoBody>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<NoContent> {
        try await requireSecrets().delete(project: try context.requireProject().id, name: input.path.item, actor: caller.principalId,
                                          requestID: context.requestID)
        return .value(NoContent())
    }

    func rotateSecret(_ input: OfItem<ProjectItems.Secret, SecretWriteRequest>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<SecretRecord> {
        let project = try context.requireProject()
        let value = try Self.secretValue(input.body)
        return .value(try await requireSecrets().rotate(project: project.id, name: input.path.item, value: value, actor: caller.principalId,
                                                        requestID: context.requestID))
    }

    func rotateSecretMasterKey(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<MasterKeyRotation> {
        .value(try await requireSecrets().rotateMasterKey(actor: caller.principalId, requestID: context.requestID))
    }

    func requireSecrets() throws(PlatformError) -> any SecretCustody {
        guard let secrets else { throw PlatformError(.internalError, "this server has no secret custody") }
        return secrets
    }

    /// The request's value, decoded; the error never echoes it.
    /// - Throws: ``ErrorCode/secretInvalid``.
    static func secretValue(_ body: SecretWriteRequest) throws(PlatformError) -> [UInt8] {
        guard let data = Data(base64Encoded: body.valueBase64) else {
            throw PlatformError(.secretInvalid, "valueBase64 is not standard padded base64")
        }
        return Array(data)
    }
}

extension V1Routes {
    /// These routes with secret custody (`nil` leaves the secrets endpoints answering 500).
    public func servingSecrets(_ secrets: (any SecretCustody)?) -> V1Routes {
        var routes = self
        routes.secrets = secrets
        return routes
    }
}

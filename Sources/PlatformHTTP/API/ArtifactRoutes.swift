import ArtifactRegistry
import Foundation
import PlatformAPI
import PlatformContracts

/// Handlers of the signing-key and artifact-trust endpoints.
extension V1Routes {
    func registerSigningKey(_ input: OfProject<SigningKeyRequest>, _ context: PlatformRequestContext,
                            _ caller: Caller) async throws -> Reply<TrustedKey> {
        .value(try await keys.register(in: try context.requireProject(), input.body, by: caller, requestID: context.requestID))
    }

    func listSigningKeys(_ input: OfProject<NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[TrustedKey]> {
        .value(try await keys.keys(in: try context.requireProject()))
    }

    func rotateSigningKey(_ input: OfItem<ProjectItems.Key, SigningKeyRequest>, _ context: PlatformRequestContext,
                          _ caller: Caller) async throws -> Reply<TrustedKey> {
        .value(try await keys.rotate(in: try context.requireProject(), id: input.path.item, to: input.body, by: caller,
                                     requestID: context.requestID))
    }

    func revokeSigningKey(_ input: OfItem<ProjectItems.Key, NoBody>, _ context: PlatformRequestContext,
                          _ caller: Caller) async throws -> Reply<TrustedKey> {
        .value(try await keys.revoke(in: try context.requireProject(), id: input.path.item, by: caller, requestID: context.requestID))
    }

    func listArtifacts(_ input: OfProject<NoBody>, _ context: PlatformRequestContext,
                       _ caller: Caller) async throws -> Reply<[ArtifactSummary]> {
        .value(try await ledger.artifacts(in: try context.requireProject()))
    }

    func getArtifact(_ input: OfItem<ProjectItems.Digest, NoBody>, _ context: PlatformRequestContext,
                     _ caller: Caller) async throws -> Reply<ArtifactStatus> {
        .value(try await ledger.status(in: try context.requireProject(), digest: try ContentDigest(parsing: input.path.item)))
    }

    func promoteArtifact(_ input: OfItem<ProjectItems.Digest, PromotionRequest>, _ context: PlatformRequestContext,
                         _ caller: Caller) async throws -> Reply<ArtifactStatus> {
        .value(try await ledger.promote(
            in: try context.requireProject(), digest: try ContentDigest(parsing: input.path.item), to: input.body.to, by: caller,
            requestID: context.requestID))
    }
}

import AppPlatform
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
        let project = try context.requireProject()
        let revoked = try await keys.revoke(in: project, id: input.path.item, by: caller, requestID: context.requestID)
        try await enforceRevocation(in: project, by: caller, requestID: context.requestID, cause: "signing key \(revoked.id) (\(revoked.name)) revoked")
        return .value(revoked)
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
        let project = try context.requireProject()
        let digest = try ContentDigest(parsing: input.path.item)
        let holds = input.body.to == .quarantined || input.body.to == .revoked
        let before = holds ? try await ledger.status(in: project, digest: digest).state : nil
        let moved = try await ledger.promote(in: project, digest: digest, to: input.body.to, by: caller, requestID: context.requestID)
        if let before, before != moved.state {
            try await enforceRevocation(in: project, by: caller, requestID: context.requestID,
                                        cause: "artifact \(moved.digest) \(input.body.to.rawValue)",
                                        also: [ArtifactTrustChange(digest: moved.digest, from: before, to: moved.state)])
        }
        return .value(moved)
    }

    /// Revocation has effect: every artifact of the project whose recorded state is above what
    /// its keys and evidence support now is demoted (audited, `artifact.demoted`), then running
    /// instances of demoted, quarantined or revoked artifacts are stopped or flagged as policy says.
    func enforceRevocation(in project: Project, by caller: Caller, requestID: String, cause: String,
                           also: [ArtifactTrustChange] = []) async throws {
        let demoted = try await ledger.reevaluate(project: project, by: caller, requestID: requestID, cause: cause)
        try await instances.enforceTrust(in: project, changes: also + demoted, by: caller, requestID: requestID)
    }
}

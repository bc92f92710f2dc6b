import Foundation
import PlatformAPI
import PlatformContracts

/// Handlers of the release endpoints over ``ReleaseManagement``. SCAFFOLD: owners replace
/// each body (promotion goes through the artifact trust ledger; smoke through instances).
extension V1Routes {
    func createRelease(_ input: OfProject<ReleaseRequest>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<Release> {
        .value(try await requireReleases().create(input.body, in: try context.requireProject(), by: caller, requestID: context.requestID))
    }

    func listReleases(_ input: OfProject<NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[Release]> {
        .value(try await requireReleases().releases(in: try context.requireProject()))
    }

    func getRelease(_ input: OfItem<ProjectItems.Release, NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws
        -> Reply<Release>
    {
        .value(try await requireReleases().release(input.path.item, in: try context.requireProject()))
    }

    func addReleaseEvidence(_ input: OfItem<ProjectItems.Release, ReleaseEvidenceRequest>, _ context: PlatformRequestContext,
                            _ caller: Caller) async throws -> Reply<ReleaseEvidence> {
        .value(try await requireReleases().attach(input.body, to: input.path.item, in: try context.requireProject(), by: caller,
                                                  requestID: context.requestID))
    }

    func addPlatformEvidence(_ input: OfItem<ProjectItems.Release, PlatformEvidenceRequest>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<ReleaseEvidence> {
        throw PlatformError(.internalError, "platform-made evidence is not built yet")
    }

    func smokeRelease(_ input: OfItem<ProjectItems.Release, ReleaseSmokeRequest>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<ReleaseEvidence> {
        throw PlatformError(.internalError, "release smoke launches are not built yet")
    }

    func approveRelease(_ input: OfItem<ProjectItems.Release, ReleaseApprovalRequest>, _ context: PlatformRequestContext,
                        _ caller: Caller) async throws -> Reply<Release> {
        .value(try await requireReleases().approve(input.body, release: input.path.item, in: try context.requireProject(), by: caller,
                                                   requestID: context.requestID))
    }

    func getReleaseGates(_ input: OfItem<ProjectItems.Release, NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws
        -> Reply<ReleaseDecision>
    {
        .value(try await requireReleases().evaluate(release: input.path.item, in: try context.requireProject(), by: caller, record: false,
                                                    requestID: context.requestID))
    }

    func promoteRelease(_ input: OfItem<ProjectItems.Release, NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws
        -> Reply<Release>
    {
        throw PlatformError(.internalError, "release promotion is not built yet")
    }

    func getPlatformEvidenceKey(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<PlatformEvidenceKey> {
        let key = try requireReleases().platformKey()
        return .value(PlatformEvidenceKey(keyId: key.keyId, publicKeyPEM: key.publicKeyPEM))
    }

    func requireReleases() throws(PlatformError) -> any ReleaseManagement {
        guard let releases else { throw PlatformError(.internalError, "this server has no release service") }
        return releases
    }
}

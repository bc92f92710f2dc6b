import AppPlatform
import Foundation
import PlatformAPI
import PlatformContracts

/// Handlers of the persistent-volume endpoints: create (201), list (with the live instances
/// mounting each) and delete (refused while one does). The router has checked the scope and
/// resolved the project; ``VolumeService`` audits the writes.
extension V1Routes {
    func createVolume(_ input: OfProject<VolumeRequest>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<VolumeRecord> {
        .value(try await instances.volumes.create(in: try context.requireProject(), input.body, by: caller, requestID: context.requestID))
    }

    func listVolumes(_ input: OfProject<NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[VolumeRecord]> {
        .value(try await instances.volumes.list(in: try context.requireProject()))
    }

    func deleteVolume(_ input: OfItem<ProjectItems.Volume, NoBody>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<NoContent> {
        try await instances.volumes.delete(in: try context.requireProject(), name: input.path.item, by: caller, requestID: context.requestID)
        return .value(NoContent())
    }
}

import Foundation
import PlatformAPI
import PlatformContracts

/// Handlers of the persistent-volume endpoints. SCAFFOLD: the volumes owner completes them.
extension V1Routes {
    func createVolume(_ input: OfProject<VolumeRequest>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<VolumeRecord> {
        throw PlatformError(.internalError, "createVolume is not built yet")
    }

    func listVolumes(_ input: OfProject<NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[VolumeRecord]> {
        throw PlatformError(.internalError, "listVolumes is not built yet")
    }

    func deleteVolume(_ input: OfItem<ProjectItems.Volume, NoBody>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<NoContent> {
        throw PlatformError(.internalError, "deleteVolume is not built yet")
    }
}

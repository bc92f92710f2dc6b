import Foundation
import PlatformContracts
import RuntimeKit

/// Persistent volumes of the local adapter: ext4 images under `<root>/volumes` (see ``LocalVolumes``).
extension LocalRuntimeAdapter: RuntimeVolumeSupport {
    public func provisionVolume(_ volume: RuntimeVolume) async throws {
        try await LocalVolumes.provision(root: root, volume)
    }

    public func removeVolume(_ volume: RuntimeVolume) async throws {
        try LocalVolumes.remove(root: root, volume)
    }
}

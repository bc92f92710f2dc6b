import Foundation
import PlatformContracts

/// GPUs declared in a file instead of discovered, for hosts where `nvidia-smi` cannot run
/// (a container without NVML, a driver being upgraded). JSON, or YAML that the server
/// turned into JSON first:
///
/// ```json
/// {"devices": [{"index": 0, "uuid": "GPU-…", "name": "NVIDIA H100 80GB HBM3", "memoryMiB": 81559,
///               "migProfile": null}]}
/// ```
///
/// A MIG slice names its GPU with `parentUUID` (and its profile with `migProfile`); a GPU in
/// MIG mode may say `migEnabled: true` (a GPU some slice names as parent is in MIG mode anyway).
public enum DeclaredGPUs {
    struct File: Decodable {
        struct Device: Decodable {
            var index: Int
            var uuid: String
            var name: String
            var memoryMiB: Int64
            var migProfile: String?
            var parentUUID: String?
            var migEnabled: Bool?
        }
        var devices: [Device]
    }

    /// Parses the declaration, naming models through the gpu-model registry.
    /// - Throws: ``ErrorCode/configInvalid`` for malformed content, a repeated index or UUID.
    public static func parse(_ json: Data, models: GPUModelRegistry, source: String) throws(PlatformError) -> [GPUDevice] {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch {
            throw PlatformError(.configInvalid, "\(source) is not a GPU declaration ({devices: [{index, uuid, name, memoryMiB}]}): \(error)")
        }
        let devices = file.devices.map { device in
            GPUDevice(index: device.index, uuid: device.uuid, name: device.name,
                      modelId: models.models.first { $0.name == device.name || $0.modelId == device.name }?.modelId,
                      memoryMiB: device.memoryMiB, migProfile: device.migProfile, parentUUID: device.parentUUID,
                      migEnabled: device.migEnabled ?? file.devices.contains { $0.parentUUID == device.uuid })
        }
        let whole = devices.filter { !$0.isMIGSlice }
        if Set(whole.map(\.index)).count != whole.count || Set(devices.map(\.uuid)).count != devices.count {
            throw PlatformError(.configInvalid, "\(source) declares a GPU index or UUID twice")
        }
        for slice in devices where slice.parentUUID != nil {
            guard let parent = whole.first(where: { $0.uuid == slice.parentUUID }), parent.index == slice.index else {
                throw PlatformError(.configInvalid, "\(source): MIG slice \(slice.uuid) names parent \(slice.parentUUID ?? "") with index \(slice.index), which it does not declare")
            }
        }
        return devices
    }
}

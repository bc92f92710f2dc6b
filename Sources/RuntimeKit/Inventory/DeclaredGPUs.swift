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
public enum DeclaredGPUs {
    struct File: Decodable {
        struct Device: Decodable {
            var index: Int
            var uuid: String
            var name: String
            var memoryMiB: Int64
            var migProfile: String?
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
                      memoryMiB: device.memoryMiB, migProfile: device.migProfile)
        }
        if Set(devices.map(\.index)).count != devices.count || Set(devices.map(\.uuid)).count != devices.count {
            throw PlatformError(.configInvalid, "\(source) declares a GPU index or UUID twice")
        }
        return devices
    }
}

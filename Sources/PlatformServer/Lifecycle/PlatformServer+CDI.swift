import Foundation
import Logging
import PlatformContracts
import RuntimeKit

extension PlatformServer {
    /// Bootstrap step: the host's CDI spec for its GPUs (``NvidiaCDIGenerator`` over `/`, with
    /// `ldconfig -p`), written to `<data>/runtime/cdi/nvidia.json` (0644: it names paths, no
    /// secrets) for operators and other CDI-aware runtimes, and handed to the adapters, which
    /// apply the edits of each instance's devices. A spec that cannot be written is still used.
    static func hostCDISpec(devices: [GPUDevice], runtimeRoot: URL, logger: Logger) -> CDISpec {
        let spec = NvidiaCDIGenerator(ldconfigListing: devices.isEmpty ? nil : NvidiaCDIGenerator.hostLinkerCache()).generate(devices: devices)
        let folder = runtimeRoot.appendingPathComponent("cdi")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try spec.encoded().write(to: folder.appendingPathComponent("nvidia.json"), options: .atomic)
        } catch {
            logger.warning("could not write the CDI spec", metadata: ["folder": "\(folder.path)", "error": "\(error)"])
        }
        logger.info("CDI spec", metadata: ["devices": "\(spec.devices.count)", "deviceNodes": "\(spec.containerEdits.deviceNodes?.count ?? 0)",
                                           "mounts": "\(spec.containerEdits.mounts?.count ?? 0)"])
        return spec
    }
}

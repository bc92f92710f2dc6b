import Foundation
import LocalRuntimeAdapter
import Logging
import ManifestKit
import PlatformContracts
import RegistryService
import RuntimeKit
import SlurmRuntimeAdapter
import Yams

/// This host's GPUs and the runtime adapters that launch on it.
struct HostRuntime: Sendable {
    /// GPU nodes and allocations.
    let inventory: GPUInventory
    /// Where the inventory claims its allocations across replicas: set to the store's
    /// `apps_gpu_claims` once it is open (the inventory is built before).
    let gpuClaims: LateGPUDeviceClaims
    /// `local` always; `slurm` with `--slurm-conf`.
    let adapters: [any RuntimeAdapter]
}

extension PlatformServer {
    /// Bootstrap step: the GPUs (declared by `--gpu-inventory`, else discovered with
    /// `nvidia-smi`; a failed discovery serves without GPUs) and the adapters, each with its
    /// working folder under the data directory's `runtime/`.
    /// - Throws: ``ErrorCode/configInvalid`` for a bad GPU declaration or a missing slurm template.
    static func makeHostRuntime(_ configuration: ServerConfiguration, files: HostFiles, logger: Logger) throws -> HostRuntime {
        let models = files.registrySet.gpuModels
        let devices: [GPUDevice]
        if let declaration = configuration.gpuInventory {
            devices = try declaredGPUs(declaration, models: models)
        } else {
            do {
                devices = try NvidiaSMI.discover(binary: configuration.nvidiaSMI, models: models)
            } catch {
                logger.warning("GPU discovery failed; serving without GPUs", metadata: ["error": "\(error)"])
                devices = []
            }
        }
        let gpuClaims = LateGPUDeviceClaims()
        let inventory = GPUInventory(nodes: [GPUNode(name: ProcessInfo.processInfo.hostName, devices: devices)], claims: gpuClaims)
        logger.info("GPU inventory", metadata: ["gpus": "\(devices.count)", "models": "\(Set(devices.compactMap(\.modelId)).sorted())"])

        let runtimeRoot = files.runtimeRoot
        let cdi = hostCDISpec(devices: devices, runtimeRoot: runtimeRoot, logger: logger)
        var adapters: [any RuntimeAdapter] = [
            LocalRuntimeAdapter(root: runtimeRoot.appendingPathComponent("local"), inventory: inventory, blobs: files.blobs,
                                node: ProcessInfo.processInfo.hostName, cdi: cdi),
        ]
        if let slurmConf = configuration.slurmConf {
            adapters.append(SlurmRuntimeAdapter(
                configuration: .init(root: runtimeRoot.appendingPathComponent("slurm"), template: try files.resources.slurmTemplate(),
                                     slurmConf: slurmConf, defaultPartition: configuration.slurmPartition,
                                     bwrap: HostCommand.locate("bwrap") ?? "/usr/bin/bwrap", cdi: cdi),
                blobs: files.blobs))
        }
        for adapter in adapters {
            try? FileManager.default.createDirectory(at: runtimeRoot.appendingPathComponent(adapter.capabilities.name),
                                                     withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        return HostRuntime(inventory: inventory, gpuClaims: gpuClaims, adapters: adapters)
    }

    /// The GPUs a `--gpu-inventory` file (YAML or JSON) declares for this host.
    static func declaredGPUs(_ path: String, models: GPUModelRegistry) throws -> [GPUDevice] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PlatformError(.configInvalid, "cannot read the GPU declaration \(path)")
        }
        let loaded: Any?
        do {
            try DocumentLimits.standard.check(yaml: text)
        } catch {
            throw error.platformError(file: path)
        }
        do {
            loaded = try Yams.load(yaml: text)
        } catch {
            throw PlatformError(.configInvalid, "\(path) is not YAML: \(error)")
        }
        guard let loaded, JSONSerialization.isValidJSONObject(loaded), let json = try? JSONSerialization.data(withJSONObject: loaded) else {
            throw PlatformError(.configInvalid, "\(path) is not a GPU declaration ({devices: [...]})")
        }
        return try DeclaredGPUs.parse(json, models: models, source: path)
    }
}

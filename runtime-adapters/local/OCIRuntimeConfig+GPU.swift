import Foundation
import PlatformContracts
import RuntimeKit

extension OCIRuntimeConfig {
    /// Applies the CDI edits of an instance's GPUs (``LocalRuntimeAdapter/cdiEdits(for:)``,
    /// already fitted to the image) to a config made by ``make(spec:image:devices:network:)``:
    ///
    /// - each device node is bind-mounted at its path (the container runs in a user namespace,
    ///   where `mknod` is not allowed) and allowed in the device cgroup by its exact numbers
    ///   (`nvidia-uvm` has a dynamic major, and a blanket 195 would open every GPU);
    /// - each mount is a read-only bind as the spec says;
    /// - the spec's environment, and `LD_LIBRARY_PATH`/`PATH` for relocated files, join the
    ///   process environment.
    static func applyGPUs(_ placement: CDIImagePlacement, to config: inout [String: Any]) {
        guard !placement.edits.isEmpty else { return }
        var mounts = config["mounts"] as? [[String: Any]] ?? []
        var linux = config["linux"] as? [String: Any] ?? [:]
        var resources = linux["resources"] as? [String: Any] ?? [:]
        var rules = resources["devices"] as? [[String: Any]] ?? [["allow": false, "access": "rwm"]]
        for node in placement.edits.deviceNodes ?? [] {
            mounts.append(["destination": node.path, "type": "bind", "source": node.source, "options": ["bind", "rw", "nosuid"]])
            if let major = node.major, let minor = node.minor {
                rules.append(["allow": true, "type": node.type ?? "c", "major": major, "minor": minor, "access": node.permissions ?? "rw"])
            }
        }
        for mount in placement.edits.mounts ?? [] {
            var options = mount.options ?? ["ro", "nosuid", "nodev", "bind"]
            if !options.contains("bind"), !options.contains("rbind") { options.append("bind") }
            mounts.append(["destination": mount.containerPath, "type": "bind", "source": mount.hostPath, "options": options])
        }
        resources["devices"] = rules
        linux["resources"] = resources
        config["linux"] = linux
        config["mounts"] = mounts
        if var process = config["process"] as? [String: Any] {
            var environment: [String: String] = [:]
            for entry in process["env"] as? [String] ?? [] {
                let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                if parts.count == 2 { environment[parts[0]] = parts[1] }
            }
            process["env"] = placement.environment(environment).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            config["process"] = process
        }
    }
}

extension LocalRuntimeAdapter {
    /// The CDI edits for `devices`: from the spec the server wrote at start, or, for an
    /// adapter made without one, from this host as it is now.
    /// - Throws: ``ErrorCode/runtimeStartFailed`` when the spec lacks a device (the host's GPUs
    ///   changed since it was written: restart the server to regenerate it).
    func cdiEdits(for devices: [GPUDevice]) throws(PlatformError) -> CDIContainerEdits {
        guard !devices.isEmpty else { return CDIContainerEdits() }
        let spec = cdi ?? NvidiaCDIGenerator().generate(devices: devices)
        do {
            return try spec.edits(forDevices: devices.map(\.uuid))
        } catch {
            throw PlatformError(.runtimeStartFailed, "the CDI spec of this host has no device \(error); restart platformd to regenerate it")
        }
    }
}

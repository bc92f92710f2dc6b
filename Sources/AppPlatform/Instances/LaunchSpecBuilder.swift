import ManifestKit
import Foundation
import PlatformContracts
import RuntimeKit
#if canImport(Glibc)
import Glibc
#endif

/// Turns a manifest, parameter values and allocated ports into a ``LaunchSpec``:
/// `${params.NAME}`, `${ports.ENDPOINT}`, `${connect.ACTION.path}` (the web proxy prefix,
/// for apps that need their base URL) and `${instance.id}` are substituted in the command and
/// env; the platform adds `PLATFORM_INSTANCE_ID`, `PORT_<ENDPOINT>`, `PORT` and, for apps with
/// an `ssh` connect action, `PLATFORM_SSH_USER_CA` (the CA whose certificates sshd trusts).
enum LaunchSpecBuilder {
    static func build(id: String, project: String, manifest: LaunchManifest, mode: LaunchSpec.Mode, image: LaunchSpec.Image,
                      params: [String: String], ports: [String: Int], gpus: GPURequest,
                      adapter: String, sshUserCA: String? = nil) throws(PlatformError) -> LaunchSpec {
        var variables: [String: String] = ["instance.id": id]
        for action in manifest.connect ?? [] { variables["connect.\(action.name).path"] = ConnectPathPrefix.prefix(instance: id, action: action.name) + "/" }
        for (name, value) in params { variables["params.\(name)"] = value }
        for (name, port) in ports { variables["ports.\(name)"] = String(port) }
        let command = try (manifest.command ?? []).map { word throws(PlatformError) in try substitute(word, variables) }
        var environment: [String: String] = [:]
        for (name, value) in manifest.env ?? [:] { environment[name] = try substitute(value.text, variables) }
        environment["PLATFORM_INSTANCE_ID"] = id
        if let sshUserCA, manifest.connect?.contains(where: { $0.type == "ssh" }) == true {
            environment["PLATFORM_SSH_USER_CA"] = sshUserCA
        }
        for (name, port) in ports {
            environment["PORT_\(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined())"] = String(port)
        }
        if let first = manifest.endpoints?.first, let port = ports[first.name] { environment["PORT"] = String(port) }
        let overrides = (manifest.runtime?.overrides?[adapter] ?? [:]).mapValues(\.text)
        var spec = LaunchSpec(
            instanceId: id, project: project, app: manifest.metadata.name, version: manifest.metadata.version, mode: mode, image: image,
            command: command, environment: environment, ports: ports, gpus: gpus,
            cpuMillicores: manifest.resources?.cpuMillicores, memoryMiB: manifest.resources?.memoryMiB,
            timeLimitMinutes: manifest.lifecycle?.maxRuntimeMinutes, overrides: overrides,
            idleStopMinutes: manifest.lifecycle?.idleStopMinutes)
        spec.args = try (manifest.args ?? []).map { word throws(PlatformError) in try substitute(word, variables) }
        spec.secrets = (manifest.secrets ?? []).map { SecretDelivery(name: $0.name, ref: $0.ref, env: $0.env ?? false) }
        // Persistent volumes get their project volume's id at admission (VolumeMount.volumeId).
        spec.volumes = (manifest.volumes ?? []).map { volume in
            VolumeMount(name: volume.name, mountPath: volume.mountPath, readOnly: volume.readOnly ?? false,
                        kind: volume.persistent == true ? .persistent : .scratch, sizeMiB: volume.sizeMiB)
        }
        spec.diskMiB = manifest.resources?.diskMiB
        spec.nodes = max(1, manifest.resources?.nodes ?? 1)
        spec.migProfile = manifest.resources?.gpu?.sharing == "mig" ? manifest.resources?.gpu?.migProfile : nil
        return spec
    }

    /// Replaces every `${name}`; an unknown name is an error, not an empty string.
    static func substitute(_ text: String, _ variables: [String: String]) throws(PlatformError) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw PlatformError(.instanceLaunchInvalid, "unterminated ${ in \"\(text)\"")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = variables[name] else {
                throw PlatformError(.instanceLaunchInvalid, "\"\(text)\" uses ${\(name)}, which is not a parameter, port or instance field",
                                    details: ["variable": name])
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}

/// Asks the kernel for a free TCP port (bind to port 0, read it back, close).
enum FreeTCPPort {
    static func next() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = INADDR_ANY
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { return 0 }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return 0 }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

import Foundation

/// A Container Device Interface spec (github.com/cncf-tags/container-device-interface,
/// SPEC.md, version 0.6.0): a vendor `kind` (`nvidia.com/gpu`), the devices it offers by
/// name, each with the container edits it needs, and the edits every container with any of
/// them needs (driver libraries, control nodes).
///
/// The platform writes one for this host at start (`<data>/runtime/cdi/nvidia.json`, JSON
/// being valid CDI as YAML is) and both adapters apply the edits of an instance's devices:
/// the local adapter into the OCI config, the Slurm adapter into the job's bwrap arguments.
/// Hooks are not modelled: the platform's spec never needs one (libraries are bind-mounted,
/// not registered with `ldconfig` inside the container).
public struct CDISpec: Sendable, Codable, Hashable {
    /// The CDI version this document follows.
    public static let version = "0.6.0"
    /// The NVIDIA kind.
    public static let nvidiaKind = "nvidia.com/gpu"

    /// `cdiVersion`.
    public var cdiVersion: String
    /// `kind`: `vendor/class`.
    public var kind: String
    /// The devices, by name.
    public var devices: [CDIDevice]
    /// Edits every container that gets any device of this spec needs.
    public var containerEdits: CDIContainerEdits

    /// Creates a spec.
    public init(cdiVersion: String = CDISpec.version, kind: String = CDISpec.nvidiaKind, devices: [CDIDevice], containerEdits: CDIContainerEdits) {
        self.cdiVersion = cdiVersion
        self.kind = kind
        self.devices = devices
        self.containerEdits = containerEdits
    }

    /// The edits for a container given the named devices: the common edits and each device's,
    /// in that order, each path once.
    /// - Throws: ``CDISpecError/unknownDevice(_:)`` for a name the spec does not offer.
    public func edits(forDevices names: [String]) throws(CDISpecError) -> CDIContainerEdits {
        guard !names.isEmpty else { return CDIContainerEdits() }
        var result = containerEdits
        for name in names {
            guard let device = devices.first(where: { $0.name == name }) else { throw .unknownDevice("\(kind)=\(name)") }
            result.merge(device.containerEdits)
        }
        return result
    }

    /// JSON with sorted keys, what the platform writes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Why a CDI lookup failed.
public enum CDISpecError: Error, Hashable, Sendable {
    /// The fully qualified name of a device the spec does not describe.
    case unknownDevice(String)
}

/// One device a CDI spec offers.
public struct CDIDevice: Sendable, Codable, Hashable {
    /// Its name within the kind (`0`, a `GPU-…`/`MIG-…` UUID, `0:1` for MIG device 1 of GPU 0).
    public var name: String
    /// What the container needs for it.
    public var containerEdits: CDIContainerEdits

    /// Creates a device.
    public init(name: String, containerEdits: CDIContainerEdits) {
        self.name = name
        self.containerEdits = containerEdits
    }
}

/// Edits to a container's OCI spec (CDI `containerEdits`).
public struct CDIContainerEdits: Sendable, Codable, Hashable {
    /// `NAME=value` entries.
    public var env: [String]?
    /// Device nodes to create (or bind) with their cgroup permission.
    public var deviceNodes: [CDIDeviceNode]?
    /// Bind mounts from the host.
    public var mounts: [CDIMount]?

    /// Creates edits.
    public init(env: [String]? = nil, deviceNodes: [CDIDeviceNode]? = nil, mounts: [CDIMount]? = nil) {
        self.env = env
        self.deviceNodes = deviceNodes
        self.mounts = mounts
    }

    /// Whether there is nothing to apply.
    public var isEmpty: Bool { (env ?? []).isEmpty && (deviceNodes ?? []).isEmpty && (mounts ?? []).isEmpty }

    /// Appends `other`'s edits, skipping a device node or mount whose container path is there
    /// already; a later `NAME=` replaces an earlier one.
    public mutating func merge(_ other: CDIContainerEdits) {
        for entry in other.env ?? [] {
            let name = entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry
            env = (env ?? []).filter { !$0.hasPrefix(name + "=") } + [entry]
        }
        for node in other.deviceNodes ?? [] where !(deviceNodes ?? []).contains(where: { $0.path == node.path }) {
            deviceNodes = (deviceNodes ?? []) + [node]
        }
        for mount in other.mounts ?? [] where !(mounts ?? []).contains(where: { $0.containerPath == mount.containerPath }) {
            mounts = (mounts ?? []) + [mount]
        }
    }
}

/// A device node (CDI `deviceNodes` entry).
public struct CDIDeviceNode: Sendable, Codable, Hashable {
    /// Path in the container.
    public var path: String
    /// Path on the host when it differs from ``path`` (a test's fake host root).
    public var hostPath: String?
    /// `c` or `b`.
    public var type: String?
    /// Major number.
    public var major: Int64?
    /// Minor number.
    public var minor: Int64?
    /// Cgroup access: `rwm` or a subset.
    public var permissions: String?

    /// Creates a node.
    public init(path: String, hostPath: String? = nil, type: String? = nil, major: Int64? = nil, minor: Int64? = nil, permissions: String? = nil) {
        self.path = path
        self.hostPath = hostPath
        self.type = type
        self.major = major
        self.minor = minor
        self.permissions = permissions
    }

    /// Where the node is on the host.
    public var source: String { hostPath ?? path }
}

/// A bind mount (CDI `mounts` entry).
public struct CDIMount: Sendable, Codable, Hashable {
    /// Path on the host.
    public var hostPath: String
    /// Path in the container.
    public var containerPath: String
    /// OCI mount options (`ro`, `nosuid`, `nodev`, `bind`).
    public var options: [String]?

    /// Creates a mount.
    public init(hostPath: String, containerPath: String, options: [String]? = nil) {
        self.hostPath = hostPath
        self.containerPath = containerPath
        self.options = options
    }

    /// Whether the options say read-only.
    public var readOnly: Bool { options?.contains("ro") ?? false }
}

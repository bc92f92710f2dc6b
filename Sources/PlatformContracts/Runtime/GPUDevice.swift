/// One GPU of a node as the inventory knows it.
public struct GPUDevice: Sendable, Codable, Hashable {
    /// The index the driver gives it (what `CUDA_VISIBLE_DEVICES` names).
    public var index: Int
    /// `GPU-…` UUID.
    public var uuid: String
    /// The name `nvidia-smi` reports (`NVIDIA H100 80GB HBM3`).
    public var name: String
    /// The gpu-model registry id (`h100`), or `nil` for a model the registry does not list.
    public var modelId: String?
    /// Total memory in MiB.
    public var memoryMiB: Int64
    /// The MIG profile when the device is a MIG slice.
    public var migProfile: String?
    /// The `GPU-…` UUID of the GPU a MIG slice is carved from (`nil` for a whole GPU). A
    /// slice's ``index`` is its parent's index (its device node is the parent's).
    public var parentUUID: String?
    /// Whether this whole GPU is in MIG mode: CUDA cannot use it whole, so placement only
    /// hands out its slices.
    public var migEnabled: Bool

    /// Creates a device.
    public init(index: Int, uuid: String, name: String, modelId: String?, memoryMiB: Int64, migProfile: String? = nil,
                parentUUID: String? = nil, migEnabled: Bool = false) {
        self.index = index
        self.uuid = uuid
        self.name = name
        self.modelId = modelId
        self.memoryMiB = memoryMiB
        self.migProfile = migProfile
        self.parentUUID = parentUUID
        self.migEnabled = migEnabled
    }

    /// Whether this is a MIG slice rather than a whole GPU.
    public var isMIGSlice: Bool { parentUUID != nil || migProfile != nil }

    /// How `CUDA_VISIBLE_DEVICES` names it: the index for a whole GPU, the `MIG-…` UUID for a
    /// slice (CUDA addresses slices by UUID only).
    public var cudaName: String { isMIGSlice ? uuid : String(index) }

    enum CodingKeys: String, CodingKey {
        case index, uuid, name, modelId, memoryMiB, migProfile, parentUUID, migEnabled
    }

    /// Decodes a device; records written before MIG was modelled decode as whole GPUs.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(index: try c.decode(Int.self, forKey: .index), uuid: try c.decode(String.self, forKey: .uuid),
                  name: try c.decode(String.self, forKey: .name), modelId: try c.decodeIfPresent(String.self, forKey: .modelId),
                  memoryMiB: try c.decode(Int64.self, forKey: .memoryMiB), migProfile: try c.decodeIfPresent(String.self, forKey: .migProfile),
                  parentUUID: try c.decodeIfPresent(String.self, forKey: .parentUUID),
                  migEnabled: try c.decodeIfPresent(Bool.self, forKey: .migEnabled) ?? false)
    }
}

/// How an instance holds its GPUs (`resources.gpu.sharing`).
public enum GPUSharing: String, Sendable, Codable, Hashable, CaseIterable {
    /// Whole GPUs, held by this instance alone (the default).
    case exclusive
    /// Whole GPUs, shared with other instances that also asked for shared GPUs (never with an
    /// exclusive holder).
    case shared
    /// MIG slices of the requested profile (`migProfile`), each held alone; the hardware
    /// partitions memory and compute between slices.
    case mig
}

/// A node and its GPUs.
public struct GPUNode: Sendable, Codable, Hashable {
    /// The node's name (`localhost`, a Slurm node name).
    public var name: String
    /// Its GPUs.
    public var devices: [GPUDevice]

    /// Creates a node.
    public init(name: String, devices: [GPUDevice]) {
        self.name = name
        self.devices = devices
    }
}

/// What an instance asks for: a model (or any), a count, a minimum memory per device and how
/// the devices are held (whole and alone, whole and shared, or MIG slices of one profile).
public struct GPURequest: Sendable, Codable, Hashable {
    /// A gpu-model id, or `nil` for any model.
    public var model: String?
    /// How many devices (MIG slices with ``GPUSharing/mig``).
    public var count: Int
    /// Minimum memory per device in MiB.
    public var minMemoryMiB: Int64
    /// Exclusive, shared or MIG.
    public var sharing: GPUSharing
    /// The MIG profile every slice must be (`1g.10gb`); only with ``GPUSharing/mig``.
    public var migProfile: String?

    /// Creates a request.
    public init(model: String?, count: Int, minMemoryMiB: Int64 = 0, sharing: GPUSharing = .exclusive, migProfile: String? = nil) {
        self.model = model
        self.count = count
        self.minMemoryMiB = minMemoryMiB
        self.sharing = sharing
        self.migProfile = migProfile
    }

    enum CodingKeys: String, CodingKey {
        case model, count, minMemoryMiB, sharing, migProfile
    }

    /// Decodes a request; one stored before sharing modes existed is exclusive.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(model: try c.decodeIfPresent(String.self, forKey: .model), count: try c.decode(Int.self, forKey: .count),
                  minMemoryMiB: try c.decodeIfPresent(Int64.self, forKey: .minMemoryMiB) ?? 0,
                  sharing: try c.decodeIfPresent(GPUSharing.self, forKey: .sharing) ?? .exclusive,
                  migProfile: try c.decodeIfPresent(String.self, forKey: .migProfile))
    }

    /// Words for messages: `2 × h100 with ≥ 40000 MiB`, `1 × MIG 1g.10gb slice of h100`.
    public var summary: String {
        if sharing == .mig {
            return "\(count) × MIG \(migProfile ?? "?") slice\(count == 1 ? "" : "s")\(model.map { " of \($0)" } ?? "")"
        }
        return "\(count) × \(model ?? "any GPU")\(minMemoryMiB > 0 ? " with ≥ \(minMemoryMiB) MiB" : "")\(sharing == .shared ? " (shared)" : "")"
    }
}

/// Devices allocated to one instance on one node.
public struct GPUAllocation: Sendable, Codable, Hashable {
    /// The instance holding them.
    public var instance: String
    /// The node.
    public var node: String
    /// The devices.
    public var devices: [GPUDevice]

    /// Creates an allocation.
    public init(instance: String, node: String, devices: [GPUDevice]) {
        self.instance = instance
        self.node = node
        self.devices = devices
    }

    /// `CUDA_VISIBLE_DEVICES` value: indices of whole GPUs, UUIDs of MIG slices.
    public var visibleDevices: String { devices.map(\.cudaName).joined(separator: ",") }
}

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

    /// Creates a device.
    public init(index: Int, uuid: String, name: String, modelId: String?, memoryMiB: Int64, migProfile: String? = nil) {
        self.index = index
        self.uuid = uuid
        self.name = name
        self.modelId = modelId
        self.memoryMiB = memoryMiB
        self.migProfile = migProfile
    }
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

/// What an instance asks for: a model (or any), a count and a minimum memory per device.
public struct GPURequest: Sendable, Codable, Hashable {
    /// A gpu-model id, or `nil` for any model.
    public var model: String?
    /// How many devices.
    public var count: Int
    /// Minimum memory per device in MiB.
    public var minMemoryMiB: Int64

    /// Creates a request.
    public init(model: String?, count: Int, minMemoryMiB: Int64 = 0) {
        self.model = model
        self.count = count
        self.minMemoryMiB = minMemoryMiB
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

    /// `CUDA_VISIBLE_DEVICES` / `NVIDIA_VISIBLE_DEVICES` value.
    public var visibleDevices: String { devices.map { String($0.index) }.joined(separator: ",") }
}

/// A node's devices and who holds them.
public struct NodeUsage: Sendable, Codable, Hashable {
    /// One device and its holder.
    public struct Device: Sendable, Codable, Hashable {
        /// The device.
        public var device: GPUDevice
        /// The instance holding it, `nil` when free, ``heldElsewhere`` when the holder is out
        /// of the reader's reach.
        public var instance: String?

        /// Stands for a holder the reader may not see.
        public static let heldElsewhere = "other"

        /// Creates a slot.
        public init(device: GPUDevice, instance: String?) {
            self.device = device
            self.instance = instance
        }
    }

    /// The node.
    public var node: String
    /// Its devices.
    public var devices: [Device]

    /// Creates a node's usage.
    public init(node: String, devices: [Device]) {
        self.node = node
        self.devices = devices
    }
}

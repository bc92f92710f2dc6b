/// A node of one runtime adapter as `/v1/nodes` shows it: its state, CPUs and memory, its
/// GPUs (by device where the platform places them itself, by GRES group where a scheduler
/// does) and what is allocated on it.
///
/// The local host's node comes from the platform's own GPU inventory; a Slurm node from
/// `scontrol show node`. Fields a runtime does not report are `nil` (or empty), never a guess.
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

    /// One group of like GPUs on a node (a Slurm GRES entry `gpu:h100:4`, or the local
    /// devices of one model or MIG profile) and how many of them are in use.
    public struct GPUGroup: Sendable, Codable, Hashable {
        /// The gpu-model id or GRES type (`h100`), `nil` when the runtime names none.
        public var model: String?
        /// The MIG profile (`1g.10gb`) when the group is MIG slices.
        public var migProfile: String?
        /// How many the node has.
        public var count: Int
        /// How many are allocated.
        public var used: Int
        /// The indices of the allocated ones, where the runtime says (Slurm's `IDX:`).
        public var usedIndices: [Int]

        /// Creates a group.
        public init(model: String?, migProfile: String? = nil, count: Int, used: Int = 0, usedIndices: [Int] = []) {
            self.model = model
            self.migProfile = migProfile
            self.count = count
            self.used = used
            self.usedIndices = usedIndices
        }

        /// `4 × h100`, `7 × a100 MIG 1g.10gb`.
        public var label: String {
            "\(count) × \(model ?? "gpu")\(migProfile.map { " MIG \($0)" } ?? "")"
        }
    }

    /// The node.
    public var node: String
    /// The runtime adapter that places instances on it (`local`, `slurm`).
    public var adapter: String
    /// Whether it takes new instances and how busy it is.
    public var state: NodeState
    /// Why it is drained or down, as the runtime says (Slurm's `Reason=`).
    public var reason: String?
    /// CPUs it has, when the runtime says.
    public var cpus: Int?
    /// CPUs allocated to jobs, when the runtime says.
    public var cpusAllocated: Int?
    /// Memory it offers in MiB, when the runtime says.
    public var memoryMiB: Int64?
    /// Memory allocated to jobs in MiB, when the runtime says.
    public var memoryAllocatedMiB: Int64?
    /// The partitions (Slurm) it belongs to.
    public var partitions: [String]
    /// Its GPUs by group, with how many are in use.
    public var gpus: [GPUGroup]
    /// Its devices one by one, where the platform itself places them (the local host).
    public var devices: [Device]

    /// Creates a node's usage. `gpus` defaults to the groups of `devices`, `state` to what
    /// the devices' holders make it.
    public init(node: String, adapter: String = "local", state: NodeState? = nil, reason: String? = nil,
                cpus: Int? = nil, cpusAllocated: Int? = nil, memoryMiB: Int64? = nil, memoryAllocatedMiB: Int64? = nil,
                partitions: [String] = [], gpus: [GPUGroup]? = nil, devices: [Device]) {
        self.node = node
        self.adapter = adapter
        // A GPU in MIG mode is handed out only as its slices: they count, it does not.
        let placeable = devices.filter { !$0.device.migEnabled }
        self.state = state ?? NodeState(held: placeable.filter { $0.instance != nil }.count, of: placeable.count)
        self.reason = reason
        self.cpus = cpus
        self.cpusAllocated = cpusAllocated
        self.memoryMiB = memoryMiB
        self.memoryAllocatedMiB = memoryAllocatedMiB
        self.partitions = partitions
        self.gpus = gpus ?? Self.groups(of: devices)
        self.devices = devices
    }

    /// Whether placement may give it a new instance (not drained, draining or down).
    public var acceptsInstances: Bool { state.acceptsInstances }

    /// The devices grouped by model and MIG profile, in first-seen order; a GPU in MIG mode
    /// counts through its slices, never as a whole GPU.
    public static func groups(of devices: [Device]) -> [GPUGroup] {
        var groups: [GPUGroup] = []
        for slot in devices where !slot.device.migEnabled {
            let model = slot.device.modelId ?? slot.device.name
            var index = groups.firstIndex { $0.model == model && $0.migProfile == slot.device.migProfile } ?? groups.count
            if index == groups.count {
                groups.append(GPUGroup(model: model, migProfile: slot.device.migProfile, count: 0))
                index = groups.count - 1
            }
            groups[index].count += 1
            if slot.instance != nil {
                groups[index].used += 1
                groups[index].usedIndices.append(slot.device.index)
            }
        }
        return groups
    }

    enum CodingKeys: String, CodingKey {
        case node, adapter, state, reason, cpus, cpusAllocated, memoryMiB, memoryAllocatedMiB, partitions, gpus, devices
    }

    /// Decodes a node; a document of the earlier shape (node and devices only) reads as a
    /// local node whose state follows its devices.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let devices = try container.decodeIfPresent([Device].self, forKey: .devices) ?? []
        self.init(node: try container.decode(String.self, forKey: .node),
                  adapter: try container.decodeIfPresent(String.self, forKey: .adapter) ?? "local",
                  state: try container.decodeIfPresent(NodeState.self, forKey: .state),
                  reason: try container.decodeIfPresent(String.self, forKey: .reason),
                  cpus: try container.decodeIfPresent(Int.self, forKey: .cpus),
                  cpusAllocated: try container.decodeIfPresent(Int.self, forKey: .cpusAllocated),
                  memoryMiB: try container.decodeIfPresent(Int64.self, forKey: .memoryMiB),
                  memoryAllocatedMiB: try container.decodeIfPresent(Int64.self, forKey: .memoryAllocatedMiB),
                  partitions: try container.decodeIfPresent([String].self, forKey: .partitions) ?? [],
                  gpus: try container.decodeIfPresent([GPUGroup].self, forKey: .gpus),
                  devices: devices)
    }
}

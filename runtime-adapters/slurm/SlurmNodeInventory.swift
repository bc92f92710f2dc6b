import Foundation
import PlatformContracts
import RuntimeKit

/// One node line of `scontrol show node -d -o`: `Key=Value` words, where a few values
/// (`OS=Linux 6.1 #1 SMP …`, `Reason=maintenance [root@2026-…]`) contain spaces. A word
/// that does not start with `Key=` continues the value before it.
struct SlurmNodeRecord: Hashable {
    let name: String
    let address: String
    /// The state as Slurm prints it (`MIXED+DRAIN`).
    let slurmState: String
    let state: NodeState
    let reason: String?
    let cpus: Int?
    let cpusAllocated: Int?
    let memoryMiB: Int64?
    let memoryAllocatedMiB: Int64?
    let partitions: [String]
    /// `Gres=`: what the node has.
    let gres: [SlurmGres]
    /// `GresUsed=` (only with `-d`): what jobs hold, with indices.
    let gresUsed: [SlurmGres]

    init?(scontrolLine line: String) {
        let fields = Self.fields(of: line)
        guard let name = fields["NodeName"], !name.isEmpty else { return nil }
        self.name = name
        self.address = fields["NodeAddr"] ?? name
        self.slurmState = fields["State"] ?? "UNKNOWN"
        self.state = NodeState(slurm: slurmState)
        self.reason = fields["Reason"].flatMap { $0.isEmpty || $0 == "(null)" || $0 == "none" ? nil : $0 }
        self.cpus = fields["CPUTot"].flatMap { Int($0) }
        self.cpusAllocated = fields["CPUAlloc"].flatMap { Int($0) }
        self.memoryMiB = fields["RealMemory"].flatMap { Int64($0) }
        self.memoryAllocatedMiB = fields["AllocMem"].flatMap { Int64($0) }
        self.partitions = (fields["Partitions"] ?? "").split(separator: ",").map(String.init).filter { $0 != "(null)" }
        self.gres = SlurmGres.list(fields["Gres"])
        self.gresUsed = SlurmGres.list(fields["GresUsed"])
    }

    /// The `Key=Value` words of a line; a word without `Key=` joins the previous value.
    static func fields(of line: String) -> [String: String] {
        var fields: [String: String] = [:]
        var last: String?
        for word in line.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if let equals = word.firstIndex(of: "="), word.startIndex < equals,
               word[..<equals].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                let key = String(word[..<equals])
                guard fields[key] == nil else { last = nil; continue }
                fields[key] = String(word[word.index(after: equals)...])
                last = key
            } else if let last {
                fields[last, default: ""] += " " + word
            }
        }
        return fields
    }

    /// GPUs of the node by GRES type (`nil` for an untyped `gpu:4`), MIG slices included
    /// under their full type.
    var gpus: [String?: Int] {
        var gpus: [String?: Int] = [:]
        for entry in gres where entry.name == "gpu" { gpus[entry.type, default: 0] += entry.count }
        return gpus
    }

    /// How many whole GPUs of `model` (any model for `nil`) the node has; a MIG slice is no whole GPU.
    func count(of model: String?) -> Int {
        gres.filter { $0.name == "gpu" && $0.migProfile == nil && (model == nil || $0.model == model) }.map(\.count).reduce(0, +)
    }

    /// How many MIG slices of `profile` (on a GPU of `model` when one is named) the node has.
    func count(migProfile profile: String, model: String?) -> Int {
        gres.filter { $0.name == "gpu" && $0.migProfile == profile && (model == nil || $0.model == nil || $0.model == model) }
            .map(\.count).reduce(0, +)
    }

    /// The node as `/v1/nodes` shows it: GPU groups with what jobs hold of each.
    func usage(adapter: String) -> NodeUsage {
        let groups = gres.filter { $0.name == "gpu" }.map { entry in
            let used = gresUsed.filter { $0.name == "gpu" && $0.type == entry.type }
            return NodeUsage.GPUGroup(model: entry.model, migProfile: entry.migProfile, count: entry.count,
                                      used: used.map(\.count).reduce(0, +), usedIndices: used.flatMap(\.indices).sorted())
        }
        return NodeUsage(node: name, adapter: adapter, state: state, reason: reason, cpus: cpus, cpusAllocated: cpusAllocated,
                         memoryMiB: memoryMiB, memoryAllocatedMiB: memoryAllocatedMiB, partitions: partitions, gpus: groups, devices: [])
    }
}

/// One GRES entry: `gpu:h100:4(S:0-1)`, `gpu:2`, `gpu:a100_3g.20gb:2(IDX:0,2)`, `gpu:1g.10gb:7`.
struct SlurmGres: Hashable {
    /// `gpu`, `shard`, `mps`, …
    let name: String
    /// The type as Slurm names it, `nil` when untyped.
    let type: String?
    let count: Int
    /// The indices of `GresUsed=…(IDX:0-1)`.
    let indices: [Int]

    /// The MIG profile a type names (`3g.20gb` in `a100_3g.20gb` or `nvidia_a100_3g.20gb`).
    var migProfile: String? {
        guard let type, let range = type.range(of: #"[0-9]+g\.[0-9]+gb"#, options: .regularExpression) else { return nil }
        return String(type[range])
    }

    /// The GPU model a type names without its MIG profile (`a100` of `a100_3g.20gb`; `nil` of `1g.10gb`).
    var model: String? {
        guard let type else { return nil }
        guard let profile = migProfile, let range = type.range(of: profile) else { return type }
        let rest = (type[..<range.lowerBound] + type[range.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: "_-:"))
        return rest.isEmpty ? nil : rest
    }

    /// Parses one entry; `nil` for `(null)` or a malformed one.
    init?(_ text: Substring) {
        let open = text.firstIndex(of: "(")
        let parts = text[..<(open ?? text.endIndex)].split(separator: ":").map(String.init)
        guard let name = parts.first, !name.isEmpty, !name.hasPrefix("(") else { return nil }
        self.name = name
        switch parts.count {
        case 1:
            type = nil
            count = 1
        case 2:
            // `gpu:4` is untyped; `gpu:h100` is one of a type.
            let number = Int(parts[1])
            type = number == nil ? parts[1] : nil
            count = number ?? 1
        default:
            guard let number = Int(parts[2]) else { return nil }
            type = parts[1]
            count = number
        }
        if let open, let range = text[open...].range(of: #"IDX:[0-9,\-]+"#, options: .regularExpression) {
            indices = SlurmJobRecord.expand(String(text[range].dropFirst(4)))
        } else {
            indices = []
        }
    }

    /// The entries of a `Gres=`/`GresUsed=` value; commas inside parentheses (`IDX:0,2`) do not split.
    static func list(_ value: String?) -> [SlurmGres] {
        guard let value, value != "(null)" else { return [] }
        var entries: [Substring] = []
        var depth = 0
        var start = value.startIndex
        for index in value.indices {
            switch value[index] {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case "," where depth == 0:
                entries.append(value[start..<index])
                start = value.index(after: index)
            default: break
            }
        }
        entries.append(value[start...])
        return entries.compactMap { SlurmGres($0) }
    }
}

extension SlurmRuntimeAdapter: RuntimeNodeInventory {
    /// Every node of the cluster (of the default partition when one is configured), asked
    /// now with `scontrol show node -d -o`; the placement cache is refreshed with it.
    public func nodeUsage() async throws -> [NodeUsage] {
        let nodes = try await queryNodes(partition: configuration.defaultPartition)
        nodeCache.remember(configuration.defaultPartition ?? "", nodes)
        return nodes.map { $0.usage(adapter: capabilities.name) }
    }

    /// Refuses a spec that no node of `nodes` could ever run, and says which nodes could.
    /// - Throws: ``ErrorCode/runtimePlacementUnsatisfiable`` with reason `drained` when only
    ///   nodes that take no new instance (drained, draining, down) could, `capacity` when none could.
    static func candidates(for spec: LaunchSpec, among nodes: [SlurmNodeRecord], partition: String?) throws(PlatformError) -> [SlurmNodeRecord] {
        let scope = partition.map { " in partition \($0)" } ?? ""
        guard !nodes.isEmpty else {
            throw PlatformError(.runtimePlacementUnsatisfiable, "Slurm has no nodes\(scope)", details: ["reason": "capacity"])
        }
        let cpus = spec.cpuMillicores.map { max(1, ($0 + 999) / 1000) } ?? 0
        let memory = Int64(spec.memoryMiB ?? 0)
        let fitting = nodes.filter { node in
            let gpus = spec.gpus.count == 0 ? Int.max
                : spec.migProfile.map { node.count(migProfile: $0, model: spec.gpus.model) } ?? node.count(of: spec.gpus.model)
            return gpus >= spec.gpus.count && (node.cpus ?? Int.max) >= cpus && (node.memoryMiB ?? Int64.max) >= memory
        }
        let open = fitting.filter(\.state.acceptsInstances)
        let wanted = max(1, spec.nodes)
        if open.count >= wanted { return open }
        let what = Self.describe(spec)
        if fitting.count >= wanted {
            let closed = fitting.filter { !$0.state.acceptsInstances }.map { "\($0.name) (\($0.state.rawValue)\($0.reason.map { ": \($0)" } ?? ""))" }
            throw PlatformError(.runtimePlacementUnsatisfiable,
                                "every Slurm node\(scope) that has \(what) takes no new instance now: \(closed.joined(separator: ", ")); retry when it is resumed",
                                details: ["reason": "drained"])
        }
        let largest = spec.gpus.count == 0 ? nil : nodes.map { node in
            spec.migProfile.map { node.count(migProfile: $0, model: spec.gpus.model) } ?? node.count(of: spec.gpus.model)
        }.max()
        let detail = wanted > 1 ? "\(fitting.count) of \(nodes.count) nodes have it, \(wanted) are needed"
            : largest.map { "the largest has \($0)" } ?? "the largest has \(nodes.compactMap(\.cpus).max() ?? 0) CPUs and \(nodes.compactMap(\.memoryMiB).max() ?? 0) MiB"
        throw PlatformError(.runtimePlacementUnsatisfiable, "no Slurm node\(scope) has \(what); \(detail)", details: ["reason": "capacity"])
    }

    /// `2 × h100`, `1 × MIG 1g.10gb`, `4 CPUs and 8000 MiB`.
    static func describe(_ spec: LaunchSpec) -> String {
        var parts: [String] = []
        if spec.gpus.count > 0 {
            parts.append("\(spec.gpus.count) × \(spec.gpus.model ?? (spec.migProfile == nil ? "any GPU" : "GPU"))\(spec.migProfile.map { " MIG \($0)" } ?? "")")
        }
        if let millicores = spec.cpuMillicores { parts.append("\(max(1, (millicores + 999) / 1000)) CPUs") }
        if let memory = spec.memoryMiB { parts.append("\(memory) MiB") }
        return parts.isEmpty ? "room for a job" : parts.joined(separator: " and ")
    }
}

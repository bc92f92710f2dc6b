import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl node`: the nodes of every runtime adapter the platform places instances on.
public struct NodeCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Show the nodes of every runtime adapter, their state and GPUs.", subcommands: [NodeListCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl node list`.
public struct NodeListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the nodes of every adapter (local host, Slurm nodes) with state, CPUs, memory and GPUs, then each device and which instance holds it.")
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists nodes.
    public func run(in context: CommandContext) async throws {
        let nodes = try await PlatformClient(target: try ServerTarget.resolve(global, in: context)).send(Endpoints.listNodes)
        context.output(try Renderer(format: global.output).render(nodes) { Self.text(nodes) })
    }

    /// A table of nodes, then one of the devices the platform places itself, then the GPUs free.
    static func text(_ nodes: [NodeUsage]) -> String {
        let withReason = nodes.contains { $0.reason != nil }
        let rows = nodes.map { node in
            [node.adapter, node.node, node.state.rawValue, Self.cpus(node), Self.memory(node), Self.gpus(node)]
                + (withReason ? [node.reason ?? ""] : [])
        }
        var text = TextTable(headers: ["ADAPTER", "NODE", "STATE", "CPUS", "MEMORY", "GPUS"] + (withReason ? ["REASON"] : []), rows: rows).render()
        let devices = nodes.flatMap { node in
            node.devices.map { slot in
                [node.node, String(slot.device.index), slot.device.modelId ?? slot.device.name,
                 slot.device.migProfile ?? (slot.device.migEnabled ? "on (slices below)" : ""), "\(slot.device.memoryMiB) MiB",
                 slot.device.uuid, slot.device.migEnabled ? "-" : slot.instance ?? "free"]
            }
        }
        if !devices.isEmpty {
            text += "\n\n" + TextTable(headers: ["NODE", "GPU", "MODEL", "MIG", "MEMORY", "UUID", "HELD BY"], rows: devices).render()
        }
        let groups = nodes.filter(\.acceptsInstances).flatMap(\.gpus)
        let total = groups.map(\.count).reduce(0, +)
        let free = groups.map { max(0, $0.count - $0.used) }.reduce(0, +)
        return text + "\n\(free) of \(total) GPUs free on nodes that take instances"
    }

    /// `1/2` (allocated of total) or `2` when the runtime does not say what is allocated.
    static func cpus(_ node: NodeUsage) -> String {
        guard let total = node.cpus else { return "-" }
        return node.cpusAllocated.map { "\($0)/\(total)" } ?? String(total)
    }

    /// `1000/20000 MiB` or `20000 MiB`.
    static func memory(_ node: NodeUsage) -> String {
        guard let total = node.memoryMiB else { return "-" }
        return (node.memoryAllocatedMiB.map { "\($0)/" } ?? "") + "\(total) MiB"
    }

    /// `4 × h100 (2 used: 0,1); 7 × a100 MIG 1g.10gb (free)`.
    static func gpus(_ node: NodeUsage) -> String {
        guard !node.gpus.isEmpty else { return "(no GPUs)" }
        return node.gpus.map { group in
            let use = group.used == 0 ? "free"
                : "\(group.used) used" + (group.usedIndices.isEmpty ? "" : ": " + group.usedIndices.map(String.init).joined(separator: ","))
            return "\(group.label) (\(use))"
        }.joined(separator: "; ")
    }
}

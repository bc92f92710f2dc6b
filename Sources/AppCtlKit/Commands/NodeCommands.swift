import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl node`: the GPU nodes the platform places instances on.
public struct NodeCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Show GPU nodes and their devices.", subcommands: [NodeListCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl node list`.
public struct NodeListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List GPU nodes with each device (index, model, memory, UUID) and which instance holds it.")
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists nodes.
    public func run(in context: CommandContext) async throws {
        let nodes = try await PlatformClient(target: try ServerTarget.resolve(global, in: context)).send(Endpoints.listNodes)
        context.output(try Renderer(format: global.output).render(nodes) {
            let rows = nodes.flatMap { node in
                node.devices.isEmpty
                    ? [[node.node, "-", "(no GPUs)", "", "", ""]]
                    : node.devices.map { slot in
                        [node.node, String(slot.device.index), slot.device.modelId ?? slot.device.name, "\(slot.device.memoryMiB) MiB",
                         slot.device.uuid, slot.instance ?? "free"]
                    }
            }
            let free = nodes.flatMap(\.devices).filter { $0.instance == nil }.count
            let total = nodes.flatMap(\.devices).count
            return TextTable(headers: ["NODE", "GPU", "MODEL", "MEMORY", "UUID", "HELD BY"], rows: rows).render()
                + "\n\(free) of \(total) GPUs free"
        })
    }
}

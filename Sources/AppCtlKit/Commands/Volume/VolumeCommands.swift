import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl volume`: a project's persistent volumes.
public struct VolumeCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "volume", abstract: "Create, list and delete a project's persistent volumes.",
        discussion: """
            A manifest volume with `persistent: true` mounts the project volume of its name (a launch
            provisions it with the manifest's sizeMiB when absent). Sizes count against quota.volume_bytes.
            """,
        subcommands: [VolumeCreateCommand.self, VolumeListCommand.self, VolumeDeleteCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl volume create NAME --size-mib N [--adapter A]`.
public struct VolumeCreateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a persistent volume.")
    @Argument(help: "The volume's name (lowercase letters, digits, dashes).") var name: String
    @Option(name: .customLong("size-mib"), help: "The size limit in MiB.") var sizeMiB: Int
    @Option(help: "The adapter whose storage holds it (default local; slurm: the cluster's shared path).") var adapter: String?
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Creates the volume.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let volume = try await client.send(Endpoints.createVolume, path: .init(project: project),
                                           body: VolumeRequest(name: name, sizeMiB: sizeMiB, adapter: adapter))
        context.output(try Renderer(format: global.output).render(volume) {
            "Created volume \(volume.name) (\(volume.id)): \(volume.sizeMiB) MiB on the \(volume.adapter) adapter."
        })
    }
}

/// `appctl volume list`.
public struct VolumeListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the project's volumes and the live instances mounting each.")
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists the volumes.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let volumes = try await client.send(Endpoints.listVolumes, path: .init(project: project))
        context.output(try Renderer(format: global.output).render(volumes) {
            TextTable(headers: ["NAME", "ID", "SIZE MIB", "ADAPTER", "MOUNTED BY", "CREATED"],
                      rows: volumes.map { [$0.name, $0.id, String($0.sizeMiB), $0.adapter,
                                           $0.mountedBy.isEmpty ? "-" : $0.mountedBy.joined(separator: ","), $0.createdAt] }).render()
        })
    }
}

/// `appctl volume delete NAME`.
public struct VolumeDeleteCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a volume and its data.",
        discussion: "Refused (volume.in_use) while a live instance mounts it.")
    @Argument(help: "The volume's name or id.") var name: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Deletes the volume.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        _ = try await client.send(Endpoints.deleteVolume, path: .init(project: project, name))
        context.output("Deleted volume \(name).")
    }
}

import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl instance`: list, show, follow logs of, stop and delete instances.
public struct InstanceCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "instance", abstract: "List, inspect, follow, meter, stop and delete app instances.",
        subcommands: [InstanceListCommand.self, InstanceShowCommand.self, InstanceLogsCommand.self, InstanceUsageCommand.self,
                      InstanceStopCommand.self, InstanceDeleteCommand.self, InstanceExecCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl instance list`.
public struct InstanceListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List a project's instances, newest first.")
    @OptionGroup var projectOption: ProjectOption
    @Option(help: "At most this many instances, newest first (default: all).") var limit: Int?
    @Option(help: "Only instances older than this one (the last ID of a previous --limit page).") var before: String?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let instances = try await client.send(Endpoints.listInstances, path: .init(project: project),
                                              query: InstancesQuery(limit: limit, before: before))
        context.output(try Renderer(format: global.output).render(instances) {
            TextTable(headers: ["ID", "APP", "ADAPTER", "PHASE", "NODE", "GPUS", "ENDPOINTS"], rows: instances.map { instance in
                [instance.id, "\(instance.app)@\(instance.version)", instance.adapter,
                 instance.phase.name + (instance.reason.map { "(\($0))" } ?? ""), instance.node ?? "-",
                 instance.gpus.isEmpty ? (instance.gpuCount > 0 ? "\(instance.gpuCount) pending" : "-") : instance.gpus.map(String.init).joined(separator: ","),
                 instance.endpoints.isEmpty ? "-" : instance.endpoints.map { "\($0.name):\($0.port)" }.joined(separator: " ")]
            }).render()
        })
    }
}

/// `appctl instance show ID`.
public struct InstanceShowCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one instance and its phase history.")
    @Argument(help: "The instance id.") var id: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Shows.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let path = Endpoints.InstanceItem(project: project, id)
        let instance = try await client.send(Endpoints.getInstance, path: path)
        let events = try await client.send(Endpoints.listInstanceEvents, path: path, query: EventsQuery())
        struct Shown: Encodable { var instance: InstanceRecord; var events: [InstanceEvent] }
        context.output(try Renderer(format: global.output).render(Shown(instance: instance, events: events)) {
            Self.describe(instance) + "\n\nEvents:\n" + TextTable(headers: ["SEQ", "AT", "PHASE", "MESSAGE"], rows: events.map {
                [String($0.seq), $0.at, $0.phase.name + ($0.reason.map { "(\($0))" } ?? ""), $0.message ?? ""]
            }).render()
        })
    }

    static func describe(_ instance: InstanceRecord) -> String {
        var lines = [
            "Instance     \(instance.id)",
            "App          \(instance.app)@\(instance.version) (\(instance.mode.rawValue))",
            "Phase        \(instance.phase.name)\(instance.reason.map { " (\($0))" } ?? "")",
            "Adapter      \(instance.adapter) in \(instance.environment)",
            "Image        \(instance.image)",
            "Node         \(instance.node ?? "-")",
            "GPUs         \(instance.gpus.isEmpty ? (instance.gpuCount == 0 ? "none" : "\(instance.gpuCount) requested") : instance.gpus.map(String.init).joined(separator: ","))",
        ]
        for endpoint in instance.endpoints { lines.append("Endpoint     \(endpoint.name) \(endpoint.url ?? "port \(endpoint.port)")") }
        if let message = instance.message { lines.append("Message      \(message)") }
        if let flag = instance.trustFlag { lines.append("UNTRUSTED    \(flag)") }
        return lines.joined(separator: "\n")
    }
}

/// `appctl instance logs ID [-f]`.
public struct InstanceLogsCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print an instance's output; -f follows it until the instance ends.")
    @Argument(help: "The instance id.") var id: String
    @OptionGroup var projectOption: ProjectOption
    @Flag(name: [.short, .long], help: "Keep printing new output until the instance is terminal.") var follow = false
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Prints logs.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let path = Endpoints.InstanceItem(project: project, id)
        var offset: Int64 = 0
        while true {
            let chunk = try await client.send(Endpoints.readInstanceLogs, path: path, query: LogsQuery(offset: offset))
            if !chunk.text.isEmpty {
                if global.output == .json { context.output(String(decoding: try JSONEncoder().encode(chunk), as: UTF8.self)) } else { context.output(chunk.text) }
            }
            offset = chunk.nextOffset
            if chunk.text.isEmpty, !follow || chunk.finished { return }
            if chunk.text.isEmpty { try await Task.sleep(for: .milliseconds(300)) }
        }
    }
}

/// `appctl instance stop ID`.
public struct InstanceStopCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop an instance (TERM, then KILL after the grace period).")
    @Argument(help: "The instance id.") var id: String
    @OptionGroup var projectOption: ProjectOption
    @Flag(name: .long, help: "Wait until it is stopped.") var wait = false
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Stops.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        var instance = try await client.send(Endpoints.stopInstance, path: .init(project: project, id))
        if wait {
            instance = try await InstanceFollower(client: client, project: project, id: id, context: context).follow(timeout: 120)
        }
        context.output(try Renderer(format: global.output).render(instance) { InstanceShowCommand.describe(instance) })
    }
}

/// `appctl instance delete ID`.
public struct InstanceDeleteCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a stopped instance and its logs and rootfs.")
    @Argument(help: "The instance id.") var id: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Deletes.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        _ = try await client.send(Endpoints.deleteInstance, path: .init(project: project, id))
        context.output(try Renderer(format: global.output).render(["deleted": id]) { "deleted \(id)" })
    }
}

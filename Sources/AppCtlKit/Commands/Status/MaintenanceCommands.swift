import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl maintenance`: schedule, list and cancel maintenance windows.
public struct MaintenanceCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Schedule, list and cancel maintenance windows (launches onto their components are refused or warned).",
        subcommands: [MaintenanceScheduleCommand.self, MaintenanceListCommand.self, MaintenanceCancelCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl maintenance schedule --title T --component C... --starts-at S --ends-at E [--effect refuse|warn]`.
public struct MaintenanceScheduleCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Schedule a window (status:maintenance:write).",
        discussion: "Launches onto module:apps or adapter:<name> during the window are refused (apps.maintenance_window) or admitted with a warning: --effect decides, else each project's maintenance.refuse_launches policy.")
    @Option(name: .long, help: "What customers read.") var title: String
    @Option(name: .customLong("component"), help: "A component id; repeat for more.") var components: [String]
    @Option(name: .long, help: "RFC 3339 in UTC, e.g. 2026-12-01T02:00:00Z.") var startsAt: String
    @Option(name: .long, help: "RFC 3339 in UTC.") var endsAt: String
    @Option(name: .long, help: "refuse or warn; omitted: the project's policy.") var effect: MaintenanceEffect?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Schedules.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let window = try await client.send(Endpoints.scheduleMaintenance, body: MaintenanceRequest(
            title: title, components: components, startsAt: startsAt, endsAt: endsAt, effect: effect))
        context.output(try Renderer(format: global.output).render(window) { StatusText.windows([window]) })
    }
}

/// `appctl maintenance list`.
public struct MaintenanceListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "Active, upcoming and cancelled windows (status:read).")
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let windows = try await client.send(Endpoints.listMaintenance)
        context.output(try Renderer(format: global.output).render(windows) { StatusText.windows(windows) })
    }
}

/// `appctl maintenance cancel ID`.
public struct MaintenanceCancelCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a window.")
    @Argument(help: "Window id.") var window: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Cancels.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let cancelled = try await client.send(Endpoints.cancelMaintenance, path: .init(window: window))
        context.output(try Renderer(format: global.output).render(cancelled) { StatusText.windows([cancelled]) })
    }
}

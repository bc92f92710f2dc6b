import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

extension IncidentImpact: ExpressibleByArgument {}
extension IncidentState: ExpressibleByArgument {}
extension MaintenanceEffect: ExpressibleByArgument {}

/// `appctl incident`: open, update, resolve and list incidents; they show on `/status` at once.
public struct IncidentCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "incident", abstract: "Open, update, resolve and list incidents (shown on the public /status).",
        subcommands: [IncidentOpenCommand.self, IncidentUpdateCommand.self, IncidentResolveCommand.self, IncidentListCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl incident open --title T --impact I --component C... --message M`.
public struct IncidentOpenCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "open", abstract: "Open an incident over some components (status:incident:write).")
    @Option(name: .long, help: "What customers read, e.g. \"Launches fail on Slurm\".") var title: String
    @Option(name: .long, help: "minor (degraded), major or critical (outage).") var impact: IncidentImpact
    @Option(name: .customLong("component"), help: "An affected component id; repeat for more.") var components: [String]
    @Option(name: .long, help: "The first timeline entry.") var message: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Opens.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let incident = try await client.send(Endpoints.openIncident,
                                             body: IncidentRequest(title: title, impact: impact, components: components, message: message))
        context.output(try Renderer(format: global.output).render(incident) { StatusText.incident(incident) })
    }
}

/// `appctl incident update ID --state S --message M`.
public struct IncidentUpdateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "update", abstract: "Add to an incident's timeline.")
    @Argument(help: "Incident id.") var incident: String
    @Option(name: .long, help: "investigating, identified, monitoring or resolved.") var state: IncidentState
    @Option(name: .long, help: "The timeline entry.") var message: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Updates.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let updated = try await client.send(Endpoints.updateIncident, path: .init(incident: incident),
                                            body: IncidentUpdateRequest(state: state, message: message))
        context.output(try Renderer(format: global.output).render(updated) { StatusText.incident(updated) })
    }
}

/// `appctl incident resolve ID --message M`.
public struct IncidentResolveCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve an incident.")
    @Argument(help: "Incident id.") var incident: String
    @Option(name: .long, help: "The closing timeline entry.") var message: String = "Resolved."
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Resolves.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let resolved = try await client.send(Endpoints.updateIncident, path: .init(incident: incident),
                                             body: IncidentUpdateRequest(state: .resolved, message: message))
        context.output(try Renderer(format: global.output).render(resolved) { StatusText.incident(resolved) })
    }
}

/// `appctl incident list`.
public struct IncidentListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "Incidents, open first, newest first (status:read).")
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let incidents = try await client.send(Endpoints.listIncidents)
        context.output(try Renderer(format: global.output).render(incidents) { StatusText.incidents(incidents) })
    }
}

import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl launch APP[@VERSION]`.
public struct LaunchCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "launch", abstract: "Launch an app in a project; --wait follows its phases until it is ready.",
        discussion: """
            Admission refuses before anything starts, each with its own code: an artifact below the \
            environment's trust state (apps.artifact_untrusted), a quota (apps.quota_exceeded), no node \
            with enough GPUs (runtime.placement_unsatisfiable), a bad parameter (apps.launch_invalid).
            """)
    @Argument(help: ArgumentHelp("The app, optionally with a registered version.", valueName: "app[@version]")) var app: String
    @OptionGroup var projectOption: ProjectOption
    @Option(name: .long, help: ArgumentHelp("Runtime adapter (local, slurm); default: the manifest's first the server has.", valueName: "adapter"))
    var adapter: String?
    @Option(name: .long, help: ArgumentHelp("GPUs as MODEL:N or N, overriding the manifest.", valueName: "model:n")) var gpus: String?
    @Option(name: .long, help: ArgumentHelp("A parameter value; repeat for more.", valueName: "key=value")) var param: [String] = []
    @Option(name: .long, help: ArgumentHelp("Target environment (development, staging, production; default production).", valueName: "env"))
    var environment: String?
    @Flag(name: .long, help: "Follow the phases until ready (or succeeded for a job); exit 1 if it fails.") var wait = false
    @Option(name: .long, help: ArgumentHelp("How long --wait waits.", valueName: "duration"))
    var timeout: LifetimeArgument = LifetimeArgument(argument: "5m")!
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Launches.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        var params: [String: String] = [:]
        for pair in param {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw AppCtlError(.clientConfigInvalid, "--param takes key=value, not \(pair)")
            }
            params[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let parts = app.split(separator: "@", maxSplits: 1).map(String.init)
        let request = LaunchRequest(app: parts[0], version: parts.count > 1 ? parts[1] : nil, adapter: adapter, environment: environment,
                                    gpus: gpus, params: params.isEmpty ? nil : params)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        var instance = try await client.send(Endpoints.launchInstance, path: .init(project: project), body: request)
        context.progress("launched \(instance.id) (\(instance.app)@\(instance.version) on \(instance.adapter))\n")
        if wait {
            instance = try await InstanceFollower(client: client, project: project, id: instance.id, context: context)
                .follow(timeout: timeout.seconds)
        }
        context.output(try Renderer(format: global.output).render(instance) { InstanceShowCommand.describe(instance) })
        if wait, instance.phase.failureReason != nil {
            throw AppCtlError(.internalError, "\(instance.id) failed: \(instance.reason ?? "?") — \(instance.message ?? "")")
        }
    }
}

/// Follows an instance's phase events until it is ready, terminal or the time is up.
struct InstanceFollower {
    let client: PlatformClient
    let project: String
    let id: String
    let context: CommandContext

    func follow(timeout seconds: Int64) async throws -> InstanceRecord {
        let path = Endpoints.InstanceItem(project: project, id)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(seconds))
        var last = 0
        while true {
            let events = try await client.send(Endpoints.listInstanceEvents, path: path, query: EventsQuery(after: last))
            for event in events {
                context.progress("  \(event.at)  \(event.phase.name)\(event.reason.map { "(\($0))" } ?? "")\(event.message.map { "  \($0)" } ?? "")\n")
                last = event.seq
            }
            let instance = try await client.send(Endpoints.getInstance, path: path)
            let done = (instance.mode != .job && instance.phase == .ready) || instance.isTerminal
            if done, events.isEmpty || events.last?.phase == instance.phase { return instance }
            guard clock.now < deadline else {
                throw AppCtlError(.internalError, "\(id) is still \(instance.phase.name) after \(seconds) s (it keeps going; appctl instance show \(id))")
            }
            try await Task.sleep(for: .milliseconds(300))
        }
    }
}

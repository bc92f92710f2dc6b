import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl webhooks`: a project's webhook endpoints (Standard Webhooks signatures).
public struct WebhooksCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Add, list and remove a project's webhook endpoints.",
        subcommands: [WebhookAddCommand.self, WebhookListCommand.self, WebhookRemoveCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl webhooks add URL [--template T…] --project P`.
public struct WebhookAddCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Register a webhook endpoint; prints its signing secret, which is never shown again.")
    @Argument(help: "An absolute http(s) URL.") var url: String
    @Option(name: .long, help: ArgumentHelp("Deliver only this template (repeat for more; default every template).", valueName: "template"))
    var template: [String] = []
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Adds.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let created = try await client.send(Endpoints.createWebhook, path: .init(project: project),
                                            body: WebhookEndpointRequest(url: url, templates: template.isEmpty ? nil : template))
        context.output(try Renderer(format: global.output).render(created) {
            """
            Added webhook \(created.endpoint.id) → \(created.endpoint.url) (\(Self.templates(created.endpoint)))
            Signing secret (shown only now): \(created.secret)
            """
        })
    }

    static func templates(_ endpoint: WebhookEndpoint) -> String {
        endpoint.templates.isEmpty ? "every template" : endpoint.templates.joined(separator: ",")
    }
}

/// `appctl webhooks list --project P`.
public struct WebhookListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List a project's webhook endpoints.")
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let endpoints = try await client.send(Endpoints.listWebhooks, path: .init(project: project))
        context.output(try Renderer(format: global.output).render(endpoints) {
            TextTable(headers: ["ID", "URL", "TEMPLATES", "CREATED", "STATE"], rows: endpoints.map {
                [$0.id, $0.url, $0.templates.isEmpty ? "*" : $0.templates.joined(separator: ","), $0.createdAt,
                 $0.disabledAt.map { "disabled \($0)" } ?? "active"]
            }).render()
        })
    }
}

/// `appctl webhooks remove ID --project P`.
public struct WebhookRemoveCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a webhook endpoint.")
    @Argument(help: "The endpoint id.") var id: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Removes.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        _ = try await client.send(Endpoints.deleteWebhook, path: .init(project: project, id))
        context.output(try Renderer(format: global.output).render(["removed": id]) { "removed webhook \(id)" })
    }
}

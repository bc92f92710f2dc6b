import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl catalog`: the platform-wide curated catalog. Every tenant lists it (`appctl app
/// list --catalog` says the same) and launches from it with `appctl launch APP --project P`;
/// platform control publishes and deprecates.
public struct CatalogCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "List, publish and deprecate apps of the platform-wide curated catalog.",
        discussion: """
            Any tenant launches a catalog app into its own project with `appctl launch APP --project P`
            (a project's own app of that name wins). Publishing and deprecating need apps:catalog:publish
            (platform control).
            """,
        subcommands: [CatalogListCommand.self, CatalogPublishCommand.self, CatalogDeprecateCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl catalog list`.
public struct CatalogListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the platform catalog's app versions.")
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists the catalog.
    public func run(in context: CommandContext) async throws {
        try await Self.list(global, in: context)
    }

    /// The listing `appctl catalog list` and `appctl app list --catalog` print.
    static func list(_ global: GlobalOptions, in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let entries = try await client.send(Endpoints.listCatalogApps)
        context.output(try Renderer(format: global.output).render(entries) {
            TextTable(headers: ["NAME", "VERSION", "STATE", "IMAGE", "DESCRIPTION"],
                      rows: entries.map { entry in
                          let state = entry.deprecation.map { "deprecated: \($0.message)" + ($0.replacement.map { " (use \($0))" } ?? "") }
                          return [entry.app, entry.version, state ?? entry.state.rawValue, String(entry.imageDigest.prefix(19)),
                                  entry.description ?? ""]
                      }).render()
        })
    }
}

/// `appctl catalog publish APP VERSION [--project platform/catalog]`.
public struct CatalogPublishCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Publish a registered app version into the platform catalog, pinned by digest.",
        discussion: """
            The version must be registered in the source project (default platform/catalog) and its image pushed there,
            with the trust its manifest's requiredTrust asks for. The manifest and image digests are pinned now.
            """)
    @Argument(help: "The registered app's name.") var app: String
    @Argument(help: "The registered version.") var version: String
    @Option(name: .long, help: ArgumentHelp("The source project, tenant/project or id (default: platform/catalog).", valueName: "project"))
    var project: String?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Publishes.
    public func run(in context: CommandContext) async throws {
        let source = try ProjectOption.checked(project ?? "platform/catalog")
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let entry = try await client.send(Endpoints.publishCatalogApp, path: .init(project: source),
                                          body: CatalogPublishRequest(app: app, version: version))
        context.output(try Renderer(format: global.output).render(entry) {
            "Published \(entry.app) \(entry.version) to the platform catalog (image \(entry.repository)@\(entry.imageDigest), \(entry.trustAtPublish))."
        })
    }
}

/// `appctl catalog deprecate APP VERSION --message M [--replacement V]`.
public struct CatalogDeprecateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "deprecate", abstract: "Refuse new launches of a catalog version, with a message (running instances keep running).")
    @Argument(help: "The app's name.") var app: String
    @Argument(help: "The version to deprecate.") var version: String
    @Option(name: .long, help: ArgumentHelp("What a refused launch tells the tenant.", valueName: "text")) var message: String
    @Option(name: .long, help: ArgumentHelp("A current catalog version to launch instead.", valueName: "version")) var replacement: String?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Deprecates.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let entry = try await client.send(Endpoints.deprecateCatalogApp,
                                          body: CatalogDeprecationRequest(app: app, version: version, message: message, replacement: replacement))
        context.output(try Renderer(format: global.output).render(entry) {
            "Deprecated \(entry.app) \(entry.version)" + (replacement.map { "; launches are pointed to \($0)" } ?? "") + "."
        })
    }
}

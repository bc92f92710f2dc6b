import ArgumentParser
import Foundation
import ManifestKit
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl app`: the project's app catalog.
public struct AppCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "app", abstract: "Register and list apps in a project's catalog.",
        subcommands: [AppRegisterCommand.self, AppListCommand.self, AppShowCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl app register FILE --project P`.
public struct AppRegisterCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "register", abstract: "Register an app version; the server re-validates the manifest.",
        discussion: "An invalid manifest is refused with the same diagnostics `appctl manifest validate` prints (exit 65).")
    @Argument(help: "The manifest file.") var file: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    struct Rejection: Decodable {
        struct Payload: Decodable { var message: String; var diagnostics: [ManifestDiagnostic] }
        var error: Payload
    }

    /// Sends the manifest.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        guard let manifest = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw AppCtlError(.clientConfigInvalid, "cannot read \(file)")
        }
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let version: AppVersion
        do {
            version = try await client.send(Endpoints.registerApp, path: .init(project: project),
                                            body: AppRegistration(file: file, manifest: manifest))
        } catch PlatformClientError.rejected(let refusal) {
            // A refused manifest's answer carries the diagnostics `appctl manifest validate` prints.
            guard let rejection = try? JSONDecoder().decode(Rejection.self, from: refusal.body) else { throw PlatformClientError.rejected(refusal) }
            context.output(try Renderer(format: global.output).render(rejection.error.diagnostics) {
                rejection.error.diagnostics.map(\.text).joined(separator: "\n")
            })
            throw AppCtlError(.manifestInvalid, "the server refused \(file): \(rejection.error.message)")
        }
        context.output(try Renderer(format: global.output).render(version) {
            "Registered \(version.name) \(version.version) (\(version.digest)) in project \(version.projectId)."
        })
    }
}

/// `appctl app list --project P`.
public struct AppListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the app versions registered in a project.")
    @OptionGroup var projectOption: ProjectOption
    @Flag(name: .long, help: "List the platform-wide curated catalog instead (every tenant launches from it; no project needed).")
    var catalog = false
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists versions.
    public func run(in context: CommandContext) async throws {
        if catalog { return try await CatalogListCommand.list(global, in: context) }
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let versions = try await client.send(Endpoints.listApps, path: .init(project: project))
        context.output(try Renderer(format: global.output).render(versions.map(AppSummary.init)) {
            TextTable(headers: ["NAME", "VERSION", "DIGEST", "REGISTERED"],
                      rows: versions.map { [$0.name, $0.version, String($0.digest.prefix(19)), $0.registeredAt] }).render()
        })
    }
}

/// `appctl app show NAME --project P`.
public struct AppShowCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an app's registered versions and latest manifest.")
    @Argument(help: "The app's name.") var name: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Shows the versions.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let versions = try await client.send(Endpoints.listAppVersions, path: .init(project: project, name))
        context.output(try Renderer(format: global.output).render(versions) {
            let table = TextTable(headers: ["VERSION", "DIGEST", "REGISTERED", "BY"],
                                  rows: versions.map { [$0.version, $0.digest, $0.registeredAt, $0.registeredBy] }).render()
            return table + "\n\n" + (versions.last?.manifest ?? "")
        })
    }
}

/// An app version without its manifest text, for listings.
struct AppSummary: Encodable {
    var name: String
    var version: String
    var digest: String
    var registeredAt: String

    init(_ version: AppVersion) {
        name = version.name
        self.version = version.version
        digest = version.digest
        registeredAt = version.registeredAt
    }
}

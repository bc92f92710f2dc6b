import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl login`: checks a key against the server and stores it in a context.
public struct LoginCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Check an API key with the server and store it in the current context.",
        discussion: "The key comes from --key-file, or standard input when no file is given (never a flag: it would land in shell history).")
    @Option(name: .long, help: ArgumentHelp("A file holding the key (e.g. DATA_DIR/bootstrap-admin.key).", valueName: "file"))
    var keyFile: String?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Verifies and stores the key.
    public func run(in context: CommandContext) async throws {
        let text: String
        if let keyFile {
            guard let contents = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
                throw AppCtlError(.clientConfigInvalid, "cannot read \(keyFile)")
            }
            text = contents
        } else {
            text = readLine(strippingNewline: true) ?? ""
        }
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var options = global
        options.token = key
        let target = try ServerTarget.resolve(options, in: context)
        let caller = try await PlatformClient(target: target).send(Endpoints.whoami)

        var config = try AppCtlConfig.load(from: context.configPath)
        let name = global.context ?? config.currentContext ?? "default"
        if let index = config.contexts.firstIndex(where: { $0.name == name }) {
            config.contexts[index].token = key
            if global.server != nil { config.contexts[index].server = target.server }
        } else {
            config.contexts.append(.init(name: name, server: target.server, token: key))
        }
        if config.currentContext == nil { config.currentContext = name }
        try config.save(to: context.configPath)
        context.output(try Renderer(format: global.output).render(caller) {
            "Logged in to \(target.server) as \(caller.principalName) (key \(caller.keyId), expires \(caller.expiresAt)); stored in context \"\(name)\"."
        })
    }
}

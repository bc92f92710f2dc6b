import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl secret`: a project's secrets. Values go in (from a file or standard input) and
/// never come back out: no subcommand prints one.
public struct SecretCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "secret", abstract: "Store, list, rotate and delete a project's secrets (values are write-only).",
        subcommands: [SecretSetCommand.self, SecretListCommand.self, SecretRotateCommand.self, SecretDeleteCommand.self,
                      SecretMasterKeyCommand.self])
    /// Creates the command.
    public init() {}
}

/// Where a secret value is read from: exactly one of `--from-file` and `--from-stdin`.
struct SecretValueSource: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Read the value from this file (its bytes, as they are).", valueName: "file"))
    var fromFile: String?
    @Flag(name: .long, help: "Read the value from standard input (until end of file).")
    var fromStdin = false

    /// The value's bytes (a single trailing newline from standard input is dropped: `echo` adds one).
    func read() throws -> [UInt8] {
        switch (fromFile, fromStdin) {
        case (let path?, false):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AppCtlError(.clientConfigInvalid, "cannot read \(path)")
            }
            return Array(data)
        case (nil, true):
            var bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            return bytes
        default:
            throw ValidationError("give the value with exactly one of --from-file FILE and --from-stdin (never on the command line)")
        }
    }
}

/// `appctl secret set NAME --purpose P (--from-file F | --from-stdin)`.
public struct SecretSetCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Create a secret, or give an existing one a new value (a new version).")
    @Argument(help: "The secret's name (lowercase letters, digits, dashes; manifests reference secret://<project>/<name>).")
    var name: String
    @Option(name: .long, help: ArgumentHelp("Its purpose, from secret-purposes.yaml (needed when creating).", valueName: "purpose"))
    var purpose: String?
    @OptionGroup var source: SecretValueSource
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Stores the value.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let body = SecretWriteRequest(valueBase64: Data(try source.read()).base64EncodedString(), purpose: purpose)
        let record = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.setSecret, path: .init(project: project, name), body: body)
        context.output(try Renderer(format: global.output).render(record) {
            "Stored \(record.name) version \(record.version) (\(record.purpose)); the value is never shown again"
        })
    }
}

/// `appctl secret list`.
public struct SecretListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the project's secrets (never their values).")
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let secrets = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.listSecrets, path: .init(project: project))
        context.output(try Renderer(format: global.output).render(secrets) {
            TextTable(headers: ["NAME", "PURPOSE", "VERSION", "UPDATED", "BY", "MASTER KEY"],
                      rows: secrets.map { [$0.name, $0.purpose, String($0.version), $0.updatedAt, $0.updatedBy, $0.masterKeyId] }).render()
        })
    }
}

/// `appctl secret rotate NAME (--from-file F | --from-stdin)`.
public struct SecretRotateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "rotate", abstract: "Rotate an existing secret to a new value under a fresh data key (new launches get it).")
    @Argument(help: "The secret's name.") var name: String
    @OptionGroup var source: SecretValueSource
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Rotates.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let body = SecretWriteRequest(valueBase64: Data(try source.read()).base64EncodedString())
        let record = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.rotateSecret, path: .init(project: project, name), body: body)
        context.output(try Renderer(format: global.output).render(record) { "Rotated \(record.name) to version \(record.version)" })
    }
}

/// `appctl secret delete NAME`.
public struct SecretDeleteCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a secret and every version of it (launches that reference it are refused).")
    @Argument(help: "The secret's name.") var name: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Deletes.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        _ = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.deleteSecret, path: .init(project: project, name))
        struct Result: Encodable { var deleted: String }
        context.output(try Renderer(format: global.output).render(Result(deleted: name)) { "Deleted \(name)" })
    }
}

/// `appctl secret master-key rotate`.
public struct SecretMasterKeyCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "master-key", abstract: "The platform master key that wraps every secret's data key.",
        subcommands: [SecretMasterKeyRotateCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl secret master-key rotate`: re-wrap every data key under the keyring's primary.
public struct SecretMasterKeyRotateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Re-wrap every data key under the keyring's primary master key (put the new key first in the key file, then run this).")
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Rotates.
    public func run(in context: CommandContext) async throws {
        let report = try await PlatformClient(target: try ServerTarget.resolve(global, in: context)).send(Endpoints.rotateSecretMasterKey)
        context.output(try Renderer(format: global.output).render(report) {
            "Primary master key \(report.primaryKeyId): re-wrapped \(report.rewrapped) data keys, \(report.alreadyCurrent) already current"
        })
    }
}

import ArgumentParser
import Foundation
import OCIKit
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl signing-key`: the public keys a project trusts for artifact signatures.
public struct SigningKeyCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "signing-key", abstract: "Generate key pairs locally and manage the public keys a project trusts.",
        subcommands: [SigningKeyGenerateCommand.self, SigningKeyAddCommand.self, SigningKeyListCommand.self,
                      SigningKeyRotateCommand.self, SigningKeyRevokeCommand.self])
    /// Creates the command.
    public init() {}
}

enum PublicKeyFile {
    static func read(_ path: String) throws -> String {
        guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AppCtlError(.clientConfigInvalid, "cannot read public key file \(path)")
        }
        if pem.contains("PRIVATE KEY") {
            throw AppCtlError(.signingKeyInvalid, "\(path) holds a private key; register the public key (openssl pkey -pubout), the private key stays with you")
        }
        return pem
    }
}

/// `appctl signing-key generate --out FILE`.
public struct SigningKeyGenerateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Create an ECDSA P-256 key pair locally: FILE (private, mode 0600) and FILE.pub.")
    @Option(name: .long, help: ArgumentHelp("Private key file to write.", valueName: "file")) var out: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Generates.
    public func run(in context: CommandContext) async throws {
        guard !FileManager.default.fileExists(atPath: out) else {
            throw AppCtlError(.clientConfigInvalid, "\(out) exists; refusing to overwrite a key")
        }
        let key = SigningPrivateKey()
        guard FileManager.default.createFile(atPath: out, contents: Data(key.pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw AppCtlError(.clientConfigInvalid, "cannot write \(out)")
        }
        try Data(key.publicKey.pem.utf8).write(to: URL(fileURLWithPath: out + ".pub"))
        struct Result: Encodable { var privateKey: String; var publicKey: String; var keyId: String }
        let result = Result(privateKey: out, publicKey: out + ".pub", keyId: key.publicKey.keyID)
        context.output(try Renderer(format: global.output).render(result) {
            "Wrote \(out) (private, 0600) and \(out).pub; key id \(result.keyId)"
        })
    }
}

/// `appctl signing-key add --project P --name N --public-key FILE`.
public struct SigningKeyAddCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a public key the project trusts for artifact signing.")
    @OptionGroup var projectOption: ProjectOption
    @Option(name: .long, help: ArgumentHelp("A name for people.", valueName: "name")) var name: String
    @Option(name: .long, help: ArgumentHelp("PEM public key file.", valueName: "file")) var publicKey: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Registers.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let body = SigningKeyRequest(name: name, purpose: .artifactSigning, publicKeyPEM: try PublicKeyFile.read(publicKey))
        let key = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.registerSigningKey, path: .init(project: project), body: body)
        context.output(try Renderer(format: global.output).render(key) { "Registered \(key.name) as \(key.id) (\(key.status.rawValue))" })
    }
}

/// `appctl signing-key list --project P`.
public struct SigningKeyListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the project's signing keys.")
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let keys = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.listSigningKeys, path: .init(project: project))
        context.output(try Renderer(format: global.output).render(keys) {
            TextTable(headers: ["ID", "NAME", "STATUS", "CREATED", "REPLACED BY"],
                      rows: keys.map { [$0.id, $0.name, $0.status.rawValue, $0.createdAt, $0.replacedBy ?? "-"] }).render()
        })
    }
}

/// `appctl signing-key rotate KEY --project P --public-key FILE`.
public struct SigningKeyRotateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "rotate", abstract: "Register a successor key and retire this one (its earlier signatures keep verifying).")
    @Argument(help: "The key id to retire.") var key: String
    @OptionGroup var projectOption: ProjectOption
    @Option(name: .long, help: ArgumentHelp("Name of the successor (default: the old name).", valueName: "name")) var name: String?
    @Option(name: .long, help: ArgumentHelp("The successor's PEM public key file.", valueName: "file")) var publicKey: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Rotates.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let body = SigningKeyRequest(name: name ?? "rotated", purpose: .artifactSigning, publicKeyPEM: try PublicKeyFile.read(publicKey))
        let successor = try await PlatformClient(target: try ServerTarget.resolve(global, in: context)).send(
            Endpoints.rotateSigningKey, path: .init(project: project, key), body: body)
        context.output(try Renderer(format: global.output).render(successor) { "Retired \(key); new key \(successor.id) (\(successor.name))" })
    }
}

/// `appctl signing-key revoke KEY --project P`.
public struct SigningKeyRevokeCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a signing key: nothing it signed counts any more.")
    @Argument(help: "The key id.") var key: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Revokes.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let revoked = try await PlatformClient(target: try ServerTarget.resolve(global, in: context)).send(
            Endpoints.revokeSigningKey, path: .init(project: project, key))
        context.output(try Renderer(format: global.output).render(revoked) { "Revoked \(revoked.id) (\(revoked.name)) at \(revoked.revokedAt ?? "")" })
    }
}

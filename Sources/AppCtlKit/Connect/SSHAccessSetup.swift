import Foundation
import PlatformClient
import PlatformContracts

/// `appctl connect INSTANCE --ssh`: a key pair kept per instance (made with `ssh-keygen`), a
/// certificate for it issued for one session, the session's tunnel token (mode 0600, so the
/// `ProxyCommand` reuses the session: revoking it cuts SSH too) and an ssh config that ties
/// them together. Everything lives in `<appctl config dir>/ssh/<INSTANCE>/`.
struct SSHAccessSetup {
    let command: ConnectCommand
    let client: PlatformClient
    let context: CommandContext

    /// What `--ssh -o json` prints.
    struct Result: Encodable {
        var session: ConnectSessionRecord
        var host: String
        var configFile: String
        var command: String
    }

    /// The saved session, as `--stdio` reads it.
    struct Saved: Codable {
        var server: String
        var session: ConnectSessionRecord
    }

    static func directory(context: CommandContext, instance: String) -> URL {
        URL(fileURLWithPath: context.configPath).deletingLastPathComponent()
            .appendingPathComponent("ssh").appendingPathComponent(instance.uppercased())
    }

    /// The session `--ssh` saved for this instance and server, if it has not expired.
    static func savedSession(context: CommandContext, instance: String, server: String) -> ConnectSessionRecord? {
        let file = directory(context: context, instance: instance).appendingPathComponent("session.json")
        guard let data = FileManager.default.contents(atPath: file.path),
              let saved = try? JSONDecoder().decode(Saved.self, from: data), saved.server == server,
              let expires = Timestamp(rfc3339: saved.session.expiresAt),
              expires.millisecondsSinceEpoch > Timestamp.now().millisecondsSinceEpoch + 2000 else { return nil }
        return saved.session
    }

    func run() async throws {
        let directory = Self.directory(context: context, instance: command.instance)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = directory.appendingPathComponent("id_ed25519")
        if !FileManager.default.fileExists(atPath: key.path) {
            try Self.generateKey(at: key, comment: "appctl-\(command.instance.lowercased())")
        }
        guard let publicKey = try? String(contentsOf: key.appendingPathExtension("pub"), encoding: .utf8) else {
            throw AppCtlError(.clientConfigInvalid, "cannot read \(key.path).pub")
        }
        let session = try await command.openSession(client, type: "ssh", sshPublicKey: publicKey.trimmingCharacters(in: .whitespacesAndNewlines))
        guard let ssh = session.ssh else {
            throw AppCtlError(.connectActionNotFound, "\(session.action) is a \(session.type) action; SSH needs an ssh action")
        }
        let certificate = directory.appendingPathComponent("id_ed25519-cert.pub")
        try Self.write(ssh.certificate + "\n", to: certificate, mode: 0o644)
        try Self.write(String(decoding: try JSONEncoder().encode(Saved(server: client.server, session: session)), as: UTF8.self),
                       to: directory.appendingPathComponent("session.json"), mode: 0o600)
        let host = "appctl-\(command.instance.lowercased())"
        let executable = context.environment["APPCTL_EXECUTABLE"]
            ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var proxy = "\(Self.quote(executable)) --server \(Self.quote(client.server)) connect \(command.instance) --stdio"
        proxy += " --endpoint \(session.endpoint) --project \(Self.quote(command.project))"
        if let name = command.global.context { proxy += " --context \(Self.quote(name))" }
        let config = """
            # Written by appctl connect --ssh; the certificate expires \(ssh.validBefore) (session \(session.id)).
            Host \(host)
              HostName \(command.instance)
              User \(ssh.user)
              IdentityFile \(key.path)
              CertificateFile \(certificate.path)
              IdentitiesOnly yes
              HostKeyAlias \(host)
              UserKnownHostsFile \(directory.appendingPathComponent("known_hosts").path)
              StrictHostKeyChecking accept-new
              ProxyCommand \(proxy)

            """
        let configFile = directory.appendingPathComponent("config")
        try Self.write(config, to: configFile, mode: 0o600)
        let ssh_command = "ssh -F \(configFile.path) \(host)"
        context.output(try Renderer(format: command.global.output).render(
            Result(session: session, host: host, configFile: configFile.path, command: ssh_command)) {
            """
            SSH certificate for \(ssh.user)@\(session.instanceId), valid until \(ssh.validBefore) (session \(session.id)).
            Connect:  \(ssh_command)
            Or add `Include \(configFile.path)` to ~/.ssh/config and run `ssh \(host)`.
            """
        })
    }

    static func generateKey(at key: URL, comment: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.path]
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw AppCtlError(.clientConfigInvalid, "cannot run ssh-keygen (apt-get install openssh-client): \(error)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw AppCtlError(.clientConfigInvalid, "ssh-keygen failed with status \(process.terminationStatus)")
        }
    }

    static func write(_ text: String, to file: URL, mode: Int) throws {
        try? FileManager.default.removeItem(at: file)
        guard FileManager.default.createFile(atPath: file.path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw AppCtlError(.clientConfigInvalid, "cannot write \(file.path)")
        }
    }

    /// Single-quotes a word for the shell ssh runs the ProxyCommand with, when it needs it.
    static func quote(_ word: String) -> String {
        word.allSatisfy { $0.isLetter || $0.isNumber || "/-_.:@=".contains($0) } ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

import ArgumentParser
import Foundation
import Logging
import NIOCore
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl connect INSTANCE [ACTION]`: a web session (a one-time URL), a forwarded local
/// port, a stdio tunnel (an SSH `ProxyCommand`) or SSH access with a short-lived certificate.
public struct ConnectCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "connect", abstract: "Connect to an app instance: web URL, local port forward, stdio tunnel or SSH.",
        discussion: """
            Every connect opens a session bound to the instance, the action, you and the project, for at
            most the action's credential TTL (15 min by default). Web actions print a one-time URL that sets
            a cookie and opens the app under /i/INSTANCE/ACTION/. --local-port listens on 127.0.0.1 and
            carries each connection through platformd (the session is refreshed while it runs and revoked
            on Ctrl-C). --stdio carries standard input and output (ssh's ProxyCommand). --ssh certifies a
            key for the session and writes an ssh config: then `ssh -F FILE HOST`.
            """)
    @Argument(help: "The instance id.") var instance: String
    @Argument(help: "The connect action (default: the one for --endpoint, else the app's first).") var action: String?
    @OptionGroup var projectOption: ProjectOption
    @Option(name: .long, help: ArgumentHelp("Use the connect action of this endpoint.", valueName: "endpoint")) var endpoint: String?
    @Option(name: .long, help: ArgumentHelp("Session lifetime: 90s, 10m, 1h or seconds (at most the action's TTL).", valueName: "duration"))
    var ttl: String?
    @Flag(name: .long, help: "Open the web URL with xdg-open.") var open = false
    @Flag(name: .long, help: "Print only the one-time web URL.") var printURL = false
    @Option(name: .long, help: ArgumentHelp("Listen on 127.0.0.1:PORT and tunnel each connection (0: any free port).", valueName: "port"))
    var localPort: Int?
    @Flag(name: .long, help: "Tunnel standard input and output (for ssh -o ProxyCommand).") var stdio = false
    @Flag(name: .long, help: "Get an SSH certificate for the session and write an ssh config for the instance.") var ssh = false
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Validates the flag combination.
    public func validate() throws {
        if [localPort != nil, stdio, ssh].filter({ $0 }).count > 1 {
            throw ValidationError("--local-port, --stdio and --ssh exclude each other")
        }
        if let localPort, !(0...65535).contains(localPort) { throw ValidationError("--local-port must be 0…65535") }
        if let ttl, Self.seconds(ttl) == nil { throw ValidationError("--ttl must look like 90s, 10m, 1h or 600") }
    }

    /// Connects.
    public func run(in context: CommandContext) async throws {
        // The helpers below read `project`: resolve the default once, into a copy.
        var command = self
        command.projectOption.project = try projectOption.resolve(global, in: context)
        let target = try ServerTarget.resolve(global, in: context)
        let client = PlatformClient(target: target)
        if stdio {
            try await command.runStdio(client: client, context: context)
        } else if ssh {
            try await SSHAccessSetup(command: command, client: client, context: context).run()
        } else if let localPort {
            try await command.forward(client: client, port: localPort, context: context)
        } else {
            try await command.web(client: client, context: context)
        }
    }

    /// The project, once ``run(in:)`` resolved it.
    var project: String { projectOption.project ?? "" }

    /// Revokes `session`, best effort (the tunnel is over either way; the session expires anyway).
    func revoke(_ session: ConnectSessionRecord, client: PlatformClient) async {
        _ = try? await client.send(Endpoints.revokeConnectSession, path: .init(project: project, session.id))
    }

    func openSession(_ client: PlatformClient, type: String? = nil, sshPublicKey: String? = nil) async throws -> ConnectSessionRecord {
        let request = ConnectRequest(action: action, endpoint: endpoint, type: action == nil && endpoint == nil ? type : nil,
                                     ttlSeconds: ttl.flatMap(Self.seconds), sshPublicKey: sshPublicKey)
        return try await client.send(Endpoints.connectInstance, path: .init(project: project, instance), body: request)
    }

    func web(client: PlatformClient, context: CommandContext) async throws {
        let session = try await openSession(client)
        let url = session.launchURL.map { client.server + $0 }
        if printURL {
            guard let url else { throw AppCtlError(.connectActionNotFound, "\(session.action) is a \(session.type) action, not web; use --local-port or --stdio") }
            context.output(url)
            return
        }
        if open, let url { Self.openInBrowser(url, context: context) }
        context.output(try Renderer(format: global.output).render(session) {
            var lines = ["Session   \(session.id) (\(session.type) → \(session.endpoint), expires \(session.expiresAt))"]
            if let url {
                lines.append("Open      \(url)")
                lines.append("          (works once, within 2 minutes; it sets a cookie for \(client.server)\(session.path ?? ""))")
            } else {
                lines.append("Token     \(session.token ?? "-")")
                lines.append("Next      appctl connect \(instance) \(session.action) --project \(project) --local-port PORT")
            }
            return lines.joined(separator: "\n")
        })
    }

    func forward(client: PlatformClient, port: Int, context: CommandContext) async throws {
        try TunnelClient.requireWebSocketHost(server: client.server)
        let session = try await openSession(client, type: "port-forward")
        guard let token = session.token else { throw AppCtlError(.clientUnexpectedResponse, "the session came without a token") }
        let listener = try await TunnelClient.listen(port: port)
        let bound = listener.channel.localAddress?.port ?? port
        context.output("listening on 127.0.0.1:\(bound)")
        context.progress("Forwarding 127.0.0.1:\(bound) → \(session.endpoint) of instance \(session.instanceId) (session \(session.id)); Ctrl-C to stop\n")
        let logger = Self.quietLogger
        let server = client.server
        let refresh = Endpoints.SessionItem(project: project, session.id)
        let requested = ttl.flatMap(Self.seconds)
        do {
            try await SignalCancellation.run {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await Self.keepRefreshed(session, client: client, path: refresh, ttlSeconds: requested) }
                    group.addTask {
                        try await listener.executeThenClose { inbound in
                            try await withThrowingDiscardingTaskGroup { connections in
                                for try await connection in inbound {
                                    connections.addTask {
                                        do {
                                            try await TunnelClient.carry(connection, server: server, session: session.id, token: token, logger: logger)
                                        } catch {
                                            context.errorOutput("connection closed: \(error)")
                                        }
                                    }
                                }
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            // Ctrl-C: fall through to the revoke.
        } catch {
            await revoke(session, client: client)
            throw error
        }
        await revoke(session, client: client)
        context.progress("session \(session.id) revoked\n")
    }

    func runStdio(client: PlatformClient, context: CommandContext) async throws {
        try TunnelClient.requireWebSocketHost(server: client.server)
        let saved = SSHAccessSetup.savedSession(context: context, instance: instance, server: client.server)
        let session: ConnectSessionRecord
        var opened = false
        if let saved, endpoint == nil || endpoint == saved.endpoint, action == nil || action == saved.action {
            session = saved
        } else {
            session = try await openSession(client, type: "port-forward")
            opened = true
        }
        guard let token = session.token else { throw AppCtlError(.clientUnexpectedResponse, "the session came without a token") }
        let channel = try await TunnelClient.stdio()
        do {
            try await TunnelClient.carry(channel, server: client.server, session: session.id, token: token, logger: Self.quietLogger)
        } catch {
            if opened { await revoke(session, client: client) }
            throw error
        }
        if opened { await revoke(session, client: client) }
    }

    /// Refreshes the session when two thirds of its lifetime have passed, until cancelled.
    static func keepRefreshed(_ session: ConnectSessionRecord, client: PlatformClient, path: Endpoints.SessionItem, ttlSeconds: Int?) async throws {
        var current = session
        while true {
            let remaining = (Timestamp(rfc3339: current.expiresAt).map { Double($0.millisecondsSinceEpoch) / 1000 } ?? 0)
                - Date().timeIntervalSince1970
            let lifetime = (Timestamp(rfc3339: current.expiresAt).map { Double($0.millisecondsSinceEpoch) } ?? 0)
                - (Timestamp(rfc3339: current.createdAt).map { Double($0.millisecondsSinceEpoch) } ?? 0)
            try await Task.sleep(for: .milliseconds(Int(max(0.5, remaining - lifetime / 3000) * 1000)))
            current = try await client.send(Endpoints.refreshConnectSession, path: path, body: ConnectRefreshRequest(ttlSeconds: ttlSeconds))
            current.createdAt = Timestamp.now().rfc3339
        }
    }

    static let quietLogger = Logger(label: "appctl.connect", factory: { _ in SwiftLogNoOpLogHandler() })

    static func openInBrowser(_ url: String, context: CommandContext) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", url]
        do {
            try process.run()
        } catch {
            context.errorOutput("cannot run xdg-open (\(error)); open the URL yourself")
        }
    }

    /// `90s`, `10m`, `1h` or plain seconds.
    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600]
        if let last = text.last, let unit = units[last] { return Int(text.dropLast()).map { $0 * unit } }
        return Int(text)
    }
}

import ArgumentParser
import PlatformClient
import PlatformContracts

/// `appctl`: the platform's command-line client. The root only lists subcommands.
public struct AppCtl: AsyncParsableCommand {
    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "appctl",
        abstract: "Publish, launch and connect to apps on the GPU platform.",
        discussion: """
            Server and credentials come from --server/--token, APPCTL_SERVER/APPCTL_TOKEN, or the
            current context (appctl context add). Exit codes: 0 success, 1 failure, 64 usage,
            65 invalid data, 66 not found, 69 server unreachable or not ready, 76 unreadable
            answer, 77 credentials refused, 78 configuration problem.
            """,
        version: PlatformVersion.version,
        subcommands: [
            StatusCommand.self, ContextCommand.self, LoginCommand.self, WhoamiCommand.self, TenantCommand.self,
            ProjectCommand.self, ServiceAccountCommand.self, KeyCommand.self, AuditCommand.self, ManifestCommand.self,
            AppCommand.self, CatalogCommand.self, ArtifactCommand.self, EvidenceCommand.self, SigningKeyCommand.self, NodeCommand.self,
            LaunchCommand.self, InstanceCommand.self, ConnectCommand.self, SessionCommand.self, PortalCommand.self,
            ContractCommand.self, NotificationsCommand.self, WebhooksCommand.self, PolicyCommand.self, PlanCommand.self, FlagCommand.self,
            UsageCommand.self, BillingCommand.self, LedgerCommand.self, ReleaseCommand.self,
            IncidentCommand.self, MaintenanceCommand.self, SecretCommand.self, VolumeCommand.self,
        ]
    )

    /// Creates the root command.
    public init() {}

    /// Parses `arguments`, runs the command against `context` and returns the exit code;
    /// the executable and the tests both go through here.
    public static func run(arguments: [String], context: CommandContext) async -> Int32 {
        do {
            var command = try parseAsRoot(hoistingGlobalOptions(arguments))
            if let leaf = command as? any AppCtlCommand {
                try await leaf.run(in: context)
            } else if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return ExitStatus.success.rawValue
        } catch let error as AppCtlError {
            context.errorOutput("Error: \(error)")
            return error.exitStatus.rawValue
        } catch let failure as PlatformClientError {
            let error = AppCtlError(failure)
            context.errorOutput("Error: \(error)")
            return error.exitStatus.rawValue
        } catch {
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if !message.isEmpty {
                code == 0 ? context.output(message) : context.errorOutput(message)
            }
            return code
        }
    }

    static let globalOptionsWithValue: Set<String> = ["--server", "--token", "--context", "--output", "-o"]

    /// Moves global options written before the subcommand (`appctl --server URL status`)
    /// behind it, where ArgumentParser looks for them (`appctl status --server URL`).
    static func hoistingGlobalOptions(_ arguments: [String]) -> [String] {
        var hoisted: [String] = []
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            let name = token.split(separator: "=", maxSplits: 1).first.map(String.init) ?? token
            guard globalOptionsWithValue.contains(name) else { break }
            hoisted.append(token)
            if !token.contains("="), index + 1 < arguments.count {
                hoisted.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        return Array(arguments[index...]) + hoisted
    }
}

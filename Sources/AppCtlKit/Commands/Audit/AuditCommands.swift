import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts
import TransparencyLog

/// `appctl audit`.
public struct AuditCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read, export and verify the tamper-evident audit log.",
        subcommands: [AuditListCommand.self, AuditExportCommand.self, AuditVerifyCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl audit list [--action A] [--since T] [--limit N]`.
public struct AuditListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List audit records you can see, oldest first.")
    @Option(name: .long, help: ArgumentHelp("Only this action id, e.g. iam.key.create.", valueName: "action")) var action: String?
    @Option(name: .long, help: ArgumentHelp("Only records at or after this RFC 3339 time.", valueName: "time")) var since: String?
    @Option(name: .long, help: "At most this many records (1–1000).") var limit: Int = 100
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists records.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let records = try await client.send(Endpoints.listAuditRecords, query: AuditRecordsQuery(action: action, since: since, limit: limit))
        context.output(try Renderer(format: global.output).render(records) {
            TextTable(
                headers: ["SEQ", "TIME", "ACTOR", "ACTION", "OUTCOME", "TARGET"],
                rows: records.map { ["\($0.sequence)", $0.time, $0.actor, $0.action, $0.outcome.rawValue, $0.target] }
            ).render()
        })
    }
}

/// `appctl audit export FILE`.
public struct AuditExportCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Save the whole log, its checkpoints and verifier key to a file.")
    @Argument(help: "Where to write the export (JSON).") var file: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Downloads the export.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        // The file keeps the exact bytes the server signed over, so it verifies offline.
        let response = try await client.sendRaw(Endpoints.exportAudit)
        let data = response.body
        let export = try client.decode(Endpoints.exportAudit, from: response)
        do {
            try data.write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw AppCtlError(.clientConfigInvalid, "cannot write \(file): \(error)")
        }
        context.output("Exported \(export.entries.count) records and \(export.checkpoints.count) checkpoints to \(file).")
    }
}

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

/// `appctl audit list [--action A] [--since T] [--actor P] [--target T] [--request R]
/// [--correlation C] [--newest] [--cursor C] [--limit N]`.
public struct AuditListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List audit records you can see, oldest first (newest first with --newest or --cursor, a page at a time).")
    @Option(name: .long, help: ArgumentHelp("Only this action id, e.g. iam.key.create.", valueName: "action")) var action: String?
    @Option(name: .long, help: ArgumentHelp("Only records at or after this RFC 3339 time.", valueName: "time")) var since: String?
    @Option(name: .long, help: ArgumentHelp("Only records by this actor (principal id).", valueName: "principal")) var actor: String?
    @Option(name: .long, help: ArgumentHelp("Only records about this target, e.g. instance/01J….", valueName: "target")) var target: String?
    @Option(name: .long, help: ArgumentHelp("Only records written while serving this request id.", valueName: "id")) var request: String?
    @Option(name: .long, help: ArgumentHelp(
        "Only records of this request id or carrying it as details.correlationId (a release's smoke launch and its instance's events).",
        valueName: "id")) var correlation: String?
    @Flag(name: .long, help: "Newest first; a full page prints the --cursor of the next (older) one.") var newest = false
    @Option(name: .long, help: ArgumentHelp("Continue a newest-first listing from where its last page ended.", valueName: "cursor"))
    var cursor: String?
    @Option(name: .long, help: "At most this many records (1–1000).") var limit: Int = 100
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses a cursor this tool cannot have printed.
    public func validate() throws {
        if let cursor, AuditCursor(text: cursor) == nil {
            throw ValidationError("--cursor takes the value a previous newest-first page printed; list again without it to start over.")
        }
    }

    /// Lists records.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let query = AuditRecordsQuery(
            action: action, since: since, limit: limit, actor: actor, target: target, request: request, correlation: correlation,
            order: newest && cursor == nil ? .newest : nil, cursor: cursor.flatMap(AuditCursor.init(text:)))
        let records = try await client.send(Endpoints.listAuditRecords, query: query)
        context.output(try Renderer(format: global.output).render(records) {
            TextTable(
                headers: ["SEQ", "TIME", "ACTOR", "ACTION", "OUTCOME", "TARGET", "REQUEST"],
                rows: records.map { ["\($0.sequence)", $0.time, $0.actor, $0.action, $0.outcome.rawValue, $0.target, $0.requestId ?? "-"] }
            ).render()
        })
        // The next page's position goes to standard error, so `-o json` stays one document.
        if let next = query.next(after: records)?.cursor {
            context.errorOutput("More records: run again with --cursor \(next.text)")
        }
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

import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl usage`: what was metered, and reporting usage as a product.
public struct UsageCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "usage", abstract: "Summarise metered usage; report usage events as a product.",
        subcommands: [UsageSummaryCommand.self, UsageIngestCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl usage summary (--project P | --tenant T) [--since 7d|RFC3339] [--group-by unit|app|instance|day]`.
public struct UsageSummaryCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Usage of a project or tenant per unit, app, instance or day, with what it was rated at.")
    @Option(name: .long, help: ArgumentHelp("Project: tenant/project or its id.", valueName: "project")) var project: String?
    @Option(name: .long, help: ArgumentHelp("Tenant id or name (all its projects).", valueName: "tenant")) var tenant: String?
    @Option(name: .long, help: ArgumentHelp("From this RFC 3339 time, or this long ago (7d, 12h); default: the start of this month.",
                                            valueName: "time|duration"))
    var since: String?
    @Option(name: .customLong("group-by"), help: "unit, app, instance or day.") var groupBy: String = UsageGrouping.unit.rawValue
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses a bad subject, time or grouping before any request.
    public func validate() throws {
        guard (project == nil) != (tenant == nil) else { throw ValidationError("Give exactly one of --project and --tenant.") }
        guard UsageGrouping(rawValue: groupBy) != nil else { throw ValidationError("--group-by is unit, app, instance or day, not \"\(groupBy)\".") }
        if let since { _ = try Self.since(since, now: .now()) }
    }

    /// Summarises.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let query = UsageSummaryQuery(project: try project.map(ProjectOption.checked), tenant: tenant,
                                      since: try since.map { try Self.since($0, now: .now()) },
                                      groupBy: UsageGrouping(rawValue: groupBy) ?? .unit)
        let summary = try await client.send(Endpoints.getUsageSummary, query: query)
        if global.output == .csv { return context.output(Self.csv(summary)) }
        context.output(try Renderer(format: global.output).render(summary) {
            let rows = summary.rows.map { [$0.group, $0.unit, $0.displayQuantity, String($0.events), $0.amount.display + " " + $0.amount.currency] }
            let subject = summary.project.map { "project \($0)" } ?? summary.tenant.map { "tenant \($0)" } ?? ""
            return [TextTable(headers: [summary.groupBy.rawValue.uppercased(), "UNIT", "QUANTITY", "EVENTS", "AMOUNT"], rows: rows).render(),
                    "\(subject) since \(summary.since); \(summary.unrated) event(s) not rated yet"].joined(separator: "\n")
        })
    }

    /// An RFC 3339 time, or a duration back from `now`.
    static func since(_ text: String, now: Timestamp) throws -> Timestamp {
        if let time = Timestamp(rfc3339: text) { return time }
        guard let duration = LifetimeArgument(argument: text) else {
            throw ValidationError("--since is an RFC 3339 time (2026-12-01T00:00:00Z) or a duration (7d, 12h), not \"\(text)\".")
        }
        let back = UInt64(duration.seconds) * 1000
        return Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch > back ? now.millisecondsSinceEpoch - back : 0)
    }

    /// The rows as CSV (RFC 4180).
    static func csv(_ summary: UsageSummary) -> String {
        var lines = ["group,unit,quantity,display_quantity,events,currency,amount,display_amount"]
        for row in summary.rows {
            lines.append([row.group, row.unit, String(row.quantity), row.displayQuantity, String(row.events), row.amount.currency,
                          String(row.amount.amount), row.amount.display].map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One CSV cell: quoted when it holds a comma, quote or line break; a text a spreadsheet
    /// would read as a formula (`=`, `+`, `@`) gets a leading apostrophe, as statements do.
    static func field(_ value: String) -> String {
        let safe = value.first.map { "=+@\t\r".contains($0) } == true ? "'" + value : value
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// `appctl usage ingest FILE --source PRODUCT`: posts a JSON file of usage events (an array
/// of events, or `{"source": …, "events": […]}`) as one batch, as a product would.
public struct UsageIngestCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Report a batch of usage events (at most 1000) from a JSON file, as a product (needs usage:events:write).",
        discussion: """
            Each event: {"id", "unit", "quantity" (an integer in the unit's precision), "project", "occurredAt" (RFC 3339), \
            optional "unitVersion", "app", "instance", "corrects"}. The same (source, id) again is a no-op; with another \
            payload it is refused (usage.event_conflict).
            """)
    @Argument(help: "JSON file, or - for standard input.") var file: String
    @Option(name: .long, help: ArgumentHelp("The reporting product (products.yaml id), unless the file names it.", valueName: "product"))
    var source: String?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Reads, posts and reports each event's outcome.
    public func run(in context: CommandContext) async throws {
        let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
        guard let data else { throw AppCtlError(.clientConfigInvalid, "cannot read \(file)") }
        let batch = try Self.batch(from: data, source: source)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let report = try await client.send(Endpoints.ingestUsageEvents, body: batch)
        context.output(try Renderer(format: global.output).render(report) {
            [TextTable(headers: ["EVENT", "OUTCOME"], rows: report.results.map { [$0.id, $0.outcome.rawValue] }).render(),
             "\(report.accepted) stored, \(report.duplicates) already stored"].joined(separator: "\n")
        })
    }

    /// The batch a file holds; `--source` wins over the file's.
    static func batch(from data: Data, source: String?) throws -> UsageEventBatch {
        let decoder = JSONDecoder()
        if var batch = try? decoder.decode(UsageEventBatch.self, from: data) {
            if let source { batch.source = source }
            return batch
        }
        do {
            let events = try decoder.decode([UsageEventInput].self, from: data)
            guard let source else { throw ValidationError("Name the reporting product with --source (the file is a bare list of events).") }
            return UsageEventBatch(source: source, events: events)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw AppCtlError(.usageBatchInvalid, "not a usage batch or a list of usage events: \(error)")
        }
    }
}

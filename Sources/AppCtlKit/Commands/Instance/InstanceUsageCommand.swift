import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl instance usage ID --project P`.
public struct InstanceUsageCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "usage", abstract: "Show what metering recorded for an instance, per usage unit.",
        discussion: "Metering records whole intervals (platformd --metering-interval, 60 s by default) while an instance runs, and the partial last one when it ends. Quantities are in the unit's registry scale (seconds for app-runtime-hour and gpu-hour.<model>).")
    @Argument(help: "The instance id.") var id: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Shows the totals.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let usage = try await client.send(Endpoints.getInstanceUsage, path: .init(project: project, id))
        context.output(try Renderer(format: global.output).render(usage) {
            guard !usage.totals.isEmpty else { return "No usage recorded for \(usage.instance) yet (metering records whole intervals)." }
            return TextTable(headers: ["UNIT", "QUANTITY", "INTERVALS"], rows: usage.totals.map {
                [$0.unit, String($0.quantity), String($0.intervals)]
            }).render() + "\nRecorded through \(usage.recordedThrough.map { "\($0)" } ?? "-")"
        })
    }
}

import ArgumentParser
import Foundation
import PlatformClient
import PlatformContracts

/// `appctl status`: the server's readiness and version.
public struct StatusCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the server's health and version.",
        discussion: "Exits 0 when the server is ready (pass or warn), 69 when it is unreachable or not ready."
    )

    @OptionGroup var global: GlobalOptions

    /// Creates the command.
    public init() {}

    /// What `--output json|yaml` prints.
    public struct Report: Codable, Sendable, Equatable {
        /// The server URL.
        public var server: String
        /// `/version`.
        public var version: VersionInfo
        /// `/readyz`.
        public var health: HealthReport
    }

    /// Fetches `/version` and `/readyz` and prints them.
    public func run(in context: CommandContext) async throws {
        let target = try ServerTarget.resolve(global, in: context)
        let client = PlatformClient(target: target)
        let version = try await client.document(at: "/version", as: VersionInfo.self).value
        let health = try await client.document(at: "/readyz", as: HealthReport.self, acceptedStatuses: [503]).value
        let report = Report(server: target.server, version: version, health: health)
        context.output(try Renderer(format: global.output).render(report) { Self.table(report) })
        if health.status == .fail {
            throw AppCtlError(.clientServerNotReady, "\(target.server) is not ready")
        }
    }

    static func table(_ report: Report) -> String {
        let schema = report.version.schema.sorted { $0.key < $1.key }.map { "\($0.key) v\($0.value)" }.joined(separator: ", ")
        var lines = [
            TextTable(headers: ["SERVER", report.server], rows: [
                ["VERSION", "\(report.version.version) (API \(report.version.apiVersion))"],
                ["STATUS", report.health.status.rawValue],
                ["DATABASE", "\(report.version.databaseBackend) (schema \(schema.isEmpty ? "not migrated" : schema))"],
                ["INSTALLATION", report.version.installationId ?? "-"],
            ]).render(),
            "",
        ]
        let checks = report.health.checks.sorted { $0.key < $1.key }.flatMap { key, results in
            results.map { result in
                [
                    key, result.status.rawValue,
                    result.observedValue.map { "\($0) \(result.observedUnit ?? "")".trimmingCharacters(in: .whitespaces) } ?? "",
                    result.output ?? "",
                ]
            }
        }
        lines.append(TextTable(headers: ["CHECK", "STATUS", "OBSERVED", "OUTPUT"], rows: checks).render())
        return lines.joined(separator: "\n")
    }
}

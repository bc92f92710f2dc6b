import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl status`: the server's readiness and version.
public struct StatusCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the server's health and version, and with credentials its components, incidents and maintenance.",
        discussion: """
            Exits 0 when the server is ready (pass or warn), 69 when it is unreachable or not ready. \
            With a key holding status:read it adds the operator view (components with checks and versions, \
            incidents, maintenance windows, release readiness); --public prints the customer-safe /status instead.
            """,
        subcommands: [StatusHistoryCommand.self]
    )

    @Flag(name: .customLong("public"), help: "Print the public /status page's view (no credentials needed).") var publicView = false
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
        /// `/v1/status` when the credentials hold `status:read`.
        public var status: OperatorStatus?
        /// Why the operator view is missing when credentials were given.
        public var statusError: String?
    }

    /// Fetches `/version` and `/readyz` and prints them.
    public func run(in context: CommandContext) async throws {
        let target = try ServerTarget.resolve(global, in: context)
        let client = PlatformClient(target: target)
        if publicView {
            let status = try await PlatformClient(target: ServerTarget(server: target.server, token: nil))
                .document(at: "/status", as: PublicStatus.self).value
            context.output(try Renderer(format: global.output).render(status) { StatusText.publicStatus(status) })
            return
        }
        let version = try await client.document(at: "/version", as: VersionInfo.self).value
        let health = try await client.document(at: "/readyz", as: HealthReport.self, acceptedStatuses: [503]).value
        var report = Report(server: target.server, version: version, health: health)
        if target.token != nil {
            do {
                report.status = try await client.send(Endpoints.getStatus)
            } catch let failure as PlatformClientError {
                report.statusError = AppCtlError(failure).description
            }
        }
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
        if let status = report.status {
            lines += ["", StatusText.operatorStatus(status)]
        } else if let error = report.statusError {
            lines += ["", "Operator status unavailable: \(error)"]
        }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import Foundation
import ManifestKit
import PlatformContracts
import RegistryService

/// `appctl manifest`.
public struct ManifestCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "manifest", abstract: "Work with app manifests offline.", subcommands: [ManifestValidateCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl manifest validate FILE…`: offline, schema and semantic rules, every problem.
public struct ManifestValidateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Validate app manifests offline; every problem with file:line:column.",
        discussion: "Exits 0 when every file is valid (warnings allowed), 65 when any is not.")
    @Argument(help: "Manifest files (YAML).") var files: [String]
    @Option(name: .long, help: ArgumentHelp("Folder laid out like the repository, whose manifests/platform holds the registry files (env APPCTL_RESOURCES; default: the working directory).", valueName: "dir"))
    var resources: String?
    @Option(name: .long, help: ArgumentHelp("Folder of the registry files themselves; wins over --resources (env APPCTL_REGISTRY_DIR).", valueName: "dir"))
    var registryDir: String?
    @Option(name: [.short, .long], help: "Output format: table, json or yaml.") var output: OutputFormat = .table
    /// Creates the command.
    public init() {}

    /// Validates each file.
    public func run(in context: CommandContext) async throws {
        let validator: ManifestValidator
        do {
            validator = try Self.registries(registryDir: registryDir, resources: resources, environment: context.environment)
                .manifestValidator()
        } catch {
            throw AppCtlError(.clientConfigInvalid, error.message)
        }
        var reports: [ManifestValidationReport] = []
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw AppCtlError(.clientConfigInvalid, "cannot read \(file)")
            }
            reports.append(validator.validate(text: text, file: file))
        }
        context.output(try Renderer(format: output).render(reports) {
            reports.map { report in
                let lines = report.diagnostics.map(\.text)
                let errors = report.diagnostics.filter { $0.severity == .error }.count
                let summary = report.valid
                    ? "\(report.file): valid\(lines.isEmpty ? "" : " (\(lines.count) warning\(lines.count == 1 ? "" : "s"))")"
                    : "\(report.file): invalid, \(errors) error\(errors == 1 ? "" : "s")"
                return (lines + [summary]).joined(separator: "\n")
            }.joined(separator: "\n")
        })
        let tooComplex = reports.flatMap(\.diagnostics).filter { $0.code == ErrorCode.manifestsTooComplex.rawValue }
        if let first = tooComplex.first {
            throw AppCtlError(.manifestsTooComplex, "\(tooComplex.count) manifest(s) refused unread: \(first.text)")
        }
        if reports.contains(where: { !$0.valid }) {
            throw AppCtlError(.manifestInvalid, "\(reports.filter { !$0.valid }.count) of \(reports.count) manifest(s) invalid")
        }
    }

    /// The registry files, by platformd's rule: `--registry-dir` (or `APPCTL_REGISTRY_DIR`)
    /// names the folder itself; otherwise it is `manifests/platform` under `--resources` (or
    /// `APPCTL_RESOURCES`), by default the working directory. Nothing is searched for.
    static func registries(registryDir: String?, resources: String?, environment: [String: String]) throws(PlatformError) -> RegistryFiles {
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        if let folder = nonEmpty(registryDir) ?? nonEmpty(environment["APPCTL_REGISTRY_DIR"]) {
            return try RegistryFiles.at(URL(fileURLWithPath: folder), setting: "--registry-dir (APPCTL_REGISTRY_DIR)")
        }
        let root = nonEmpty(resources) ?? nonEmpty(environment["APPCTL_RESOURCES"]) ?? FileManager.default.currentDirectoryPath
        return try RegistryFiles.at(URL(fileURLWithPath: root).appendingPathComponent("manifests/platform").standardizedFileURL,
                                    setting: "--resources DIR (APPCTL_RESOURCES) to a folder with manifests/platform, or --registry-dir")
    }
}

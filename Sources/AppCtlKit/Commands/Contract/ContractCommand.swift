import ArgumentParser
import Foundation
import PlatformContracts

/// `appctl contract`: the API contract's committed artifacts.
public struct ContractCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "contract", abstract: "Check the committed API contract artifacts against their sources.",
        subcommands: [ContractCheckCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl contract check`: the "contract and SDK drift" release gate as one command.
public struct ContractCheckCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Recompute OpenAPI, AsyncAPI and both SDKs from the sources and compare with what is committed.",
        discussion: """
            openapi and asyncapi: the documents this appctl derives from the typed endpoints, byte for byte against manifests/api/. sdk-python: regenerated from the committed openapi.json with the pinned generator (scripts/sdk/python.sh generate-into) and compared as a tree. sdk-swift: PlatformAPI + PlatformClient are compiled from the same endpoint table (drift there is a compile error); the check records their digest and that openapi.json names exactly the compiled operations.

            Digests are sha256 (a tree: each file's relative path, size and bytes, in path order). Exits 65 (contract.drift) when an artifact differs; --json prints the record a release-evidence bundle keeps (sourceSha, dirty, checkedAt, artifacts, result).
            """)
    @Option(name: .long, help: ArgumentHelp("The checkout (default: the nearest folder with Package.swift, from the working directory up).",
                                            valueName: "dir"))
    var repo: String?
    @Flag(name: .long, help: "Do not regenerate the Python SDK (no python3/PyPI here); it is reported as skipped, the result as incomplete.")
    var skipPython = false
    @Flag(name: .long, help: "Print the machine-readable result.") var json = false
    /// Creates the command.
    public init() {}

    /// Checks, prints, and fails on drift.
    public func run(in context: CommandContext) async throws {
        let start = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let checkout = repo.map({ URL(fileURLWithPath: $0) }) ?? ContractCheck.findRepo(from: start) else {
            throw AppCtlError(.configInvalid, "no Package.swift above \(start.path); pass --repo")
        }
        guard FileManager.default.fileExists(atPath: checkout.appendingPathComponent("Package.swift").path) else {
            throw AppCtlError(.configInvalid, "\(checkout.path) is not a checkout (no Package.swift)")
        }
        let check = ContractCheck(
            repo: checkout, skipPython: skipPython,
            environment: ProcessInfo.processInfo.environment.merging(context.environment) { $1 })
        let report = check.run()
        context.output(json ? try report.json() : report.table())
        let failed = report.artifacts.filter { $0.status == .fail }.map(\.name)
        guard failed.isEmpty else {
            throw AppCtlError(.contractDrift, "contract drift: \(failed.joined(separator: ", ")) differ from what the sources generate (details above)")
        }
    }
}

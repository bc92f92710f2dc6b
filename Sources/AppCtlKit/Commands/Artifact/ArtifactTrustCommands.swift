import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

extension ArtifactStatus {
    /// The table form of `appctl artifact status`.
    var text: String {
        var lines = ["Artifact  \(digest)", "Project   \(projectId)", "Type      \(typeId.isEmpty ? "(none)" : typeId)",
                     "State     \(state.rawValue) (since \(updatedAt))\(effectiveState == state ? "" : "; holds \(effectiveState.rawValue) now: a gate below it no longer passes")\(heldBy.map { ", held by a \($0)-wide key" } ?? "")", "Tags      \(tags.isEmpty ? "-" : tags.joined(separator: ", "))",
                     "Source    \(provenance.map { "\($0.repository) @ \($0.commit)" } ?? "(no valid provenance)")", "", "Signatures:"]
        let rows = signatures.map { entry in
            [entry.kind, entry.keyName.map { "\($0) (\(entry.keyId ?? ""))" } ?? (entry.keyId ?? "?"), entry.keyStatus?.rawValue ?? "-",
             entry.valid ? "valid" : "INVALID: \(entry.code?.rawValue ?? "") \(entry.reason ?? "")", entry.evidenceType ?? "-"]
        }
        lines.append(rows.isEmpty ? "  none" : TextTable(headers: ["KIND", "KEY", "KEY STATUS", "VERDICT", "EVIDENCE"], rows: rows).render())
        lines.append("")
        lines.append("Gates:")
        for gate in gates {
            lines.append("  \(gate.to.rawValue): \(gate.satisfied ? "met" : "missing " + gate.missing.joined(separator: "; "))")
        }
        return lines.joined(separator: "\n")
    }
}

/// `appctl artifact status REPO@DIGEST`.
public struct ArtifactStatusCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show an artifact's trust state, signatures (who, which key, valid?), provenance, evidence and gates.")
    @Argument(help: ArgumentHelp("<tenant>/<project>/<name>@sha256:… (or :tag; or <project-id>/<name>…).", valueName: "repo@digest")) var artifact: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Shows the status.
    public func run(in context: CommandContext) async throws {
        let target = try ServerTarget.resolve(global, in: context)
        let (reference, digest) = try await ArtifactTrust.resolve(artifact, target: target)
        let status = try await PlatformClient(target: target)
            .send(Endpoints.getArtifact, path: .init(project: reference.project, digest.description))
        context.output(try Renderer(format: global.output).render(status) { status.text })
    }
}

/// `appctl artifact promote REPO@DIGEST --to STATE`.
public struct ArtifactPromoteCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "promote", abstract: "Move an artifact to a trust state if its gate is met; otherwise list exactly what is missing.",
        discussion: """
            States: verified, staging (promoted:staging), production (promoted:production), quarantined, revoked, registered \
            (release from quarantine). The digest never changes and its referrers stay attached. Refusals exit 77. \
            Production also needs release:promote (platform control, not project roles) and a passing release decision: \
            ship through `appctl release promote`.
            """)
    @Argument(help: ArgumentHelp("<tenant>/<project>/<name>@sha256:… (or :tag; or <project-id>/<name>…).", valueName: "repo@digest")) var artifact: String
    @Option(name: .long, help: ArgumentHelp("Target state.", valueName: "state")) var to: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Promotes.
    public func run(in context: CommandContext) async throws {
        let target = try ServerTarget.resolve(global, in: context)
        let name = ["staging": "promoted:staging", "production": "promoted:production"][to] ?? to
        guard let state = TrustState(rawValue: name) else {
            throw AppCtlError(.httpBadRequest, "unknown trust state \(name); states: \(TrustState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let (reference, digest) = try await ArtifactTrust.resolve(artifact, target: target)
        let status = try await PlatformClient(target: target).send(
            Endpoints.promoteArtifact, path: .init(project: reference.project, digest.description), body: PromotionRequest(to: state))
        context.output(try Renderer(format: global.output).render(status) { "\(digest) is now \(status.state.rawValue)." })
    }
}

/// `appctl artifact list --project P`.
public struct ArtifactListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List a project's artifacts and their trust states.")
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let items = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.listArtifacts, path: .init(project: project))
        context.output(try Renderer(format: global.output).render(items) {
            TextTable(headers: ["DIGEST", "REPOSITORY", "TYPE", "STATE", "SINCE"],
                      rows: items.map { [$0.digest, $0.repository, $0.typeId, $0.state.rawValue, $0.updatedAt] }).render()
        })
    }
}

enum ArtifactTrust {
    /// The reference and the digest it names (a tag is resolved through the registry).
    static func resolve(_ text: String, target: ServerTarget) async throws -> (ArtifactReference, ContentDigest) {
        let reference = try ArtifactReference(parsing: text, requireDigest: true)
        if let digest = reference.digest { return (reference, digest) }
        return (reference, try await RegistryClient(target: target).manifest(reference.repository, reference: reference.reference).digest)
    }
}

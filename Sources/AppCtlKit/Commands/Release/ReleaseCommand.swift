import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl release`: release candidates, their evidence bundles, approvals, the six gates and
/// promotion. A release is how artifacts reach production: project roles create releases and
/// attach evidence; a distinct principal approves; only platform control promotes.
public struct ReleaseCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Create releases, attach evidence, approve, check the six gates and promote.",
        subcommands: [ReleaseCreateCommand.self, ReleaseListCommand.self, ReleaseShowCommand.self, ReleaseEvidenceCommand.self,
                      ReleaseSmokeCommand.self, ReleaseApproveCommand.self, ReleaseGatesCommand.self, ReleasePromoteCommand.self,
                      ReleaseVerifyCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl release create --environment E --artifact REF... --source-sha SHA --branch B`.
public struct ReleaseCreateCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a release candidate; the platform signs its identity (release-candidate evidence).",
        discussion: "An artifact is sha256:…, repo@sha256:… or repo:tag (a tag is resolved to its digest through the registry now).")
    @OptionGroup var projectOption: ProjectOption
    @Option(name: .long, help: ArgumentHelp("Target environment: staging or production.", valueName: "environment")) var environment: String
    @Option(name: .customLong("artifact"), help: ArgumentHelp("An artifact of the project (repeat for several).", valueName: "ref"))
    var artifacts: [String] = []
    @Option(name: .long, help: ArgumentHelp("The 40-hex source commit the artifacts were built from.", valueName: "sha")) var sourceSha: String
    @Option(name: .long, help: ArgumentHelp("The source branch.", valueName: "branch")) var branch: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses an empty artifact list or a malformed commit before any request.
    public func validate() throws {
        guard !artifacts.isEmpty else { throw ValidationError("Name at least one --artifact.") }
        guard sourceSha.range(of: "^[0-9a-fA-F]{40}$", options: .regularExpression) != nil else {
            throw ValidationError("--source-sha is a full 40-hex commit, not \"\(sourceSha)\".")
        }
    }

    /// Creates.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let target = try ServerTarget.resolve(global, in: context)
        var digests: [String] = []
        for artifact in artifacts { digests.append(try await Self.digest(of: artifact, target: target)) }
        let release = try await PlatformClient(target: target).send(
            Endpoints.createRelease, path: .init(project: project),
            body: ReleaseRequest(environment: environment, artifacts: digests, sourceSha: sourceSha.lowercased(), branch: branch))
        context.output(try Renderer(format: global.output).render(release) {
            "Created release \(release.id) for \(release.environment) (\(release.artifacts.count) artifact(s)).\n"
                + "Next: appctl release gates \(release.id) --project \(project)"
        })
    }

    /// The digest an artifact reference names: as written for a digest, else resolved.
    static func digest(of reference: String, target: ServerTarget) async throws -> String {
        if reference.hasPrefix("sha256:") { return try ContentDigest(parsing: reference).description }
        let parsed = try ArtifactReference(parsing: reference)
        if let digest = parsed.digest { return digest.description }
        return try await RegistryClient(target: target).manifest(parsed.repository, reference: parsed.reference).digest.description
    }
}

/// `appctl release list`.
public struct ReleaseListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "A project's releases, newest first.")
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let releases = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.listReleases, path: .init(project: project))
        context.output(try Renderer(format: global.output).render(releases) {
            TextTable(headers: ["ID", "ENVIRONMENT", "STATE", "ARTIFACTS", "SOURCE", "BRANCH", "DECISION", "CREATED"], rows: releases.map {
                [$0.id, $0.environment, $0.state.rawValue, String($0.artifacts.count), String($0.sourceSha.prefix(12)), $0.branch,
                 $0.decision?.verificationResult ?? "-", $0.createdAt]
            }).render()
        })
    }
}

/// `appctl release show R`.
public struct ReleaseShowCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A release with its evidence bundle (the fifteen fields), evidence, approvals and latest decision.")
    @Argument(help: "The release id.") var release: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Shows.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let shown = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.getRelease, path: Endpoints.ReleaseItem(project: project, release))
        context.output(try Renderer(format: global.output).render(shown) { Self.describe(shown) })
    }

    static func describe(_ release: Release) -> String {
        var lines = [
            "Release      \(release.id) (\(release.state.rawValue))",
            "Environment  \(release.environment)",
            "Source       \(release.sourceSha) on \(release.branch)",
            "Created      \(release.createdAt) by \(release.createdBy)",
        ]
        lines += release.artifacts.map { "Artifact     \($0)" }
        if !release.correlationIds.isEmpty { lines.append("Correlation  \(release.correlationIds.joined(separator: ", "))") }
        if let decision = release.decision {
            lines.append("Decision     \(decision.verificationResult) \(decision.id ?? "") under policy \(decision.policySnapshot) at \(decision.decidedAt)")
        }
        let bundle = TextTable(headers: ["FIELD", "EVIDENCE TYPE", "ENVELOPE"], rows: release.bundle.map {
            [$0.field.rawValue, $0.evidenceType, $0.envelope.map { String($0.prefix(19)) } ?? "missing"]
        }).render()
        let evidence = TextTable(headers: ["TYPE", "SIGNER", "ATTACHED BY", "PLATFORM", "FACTS", "ENVELOPE"], rows: release.evidence.map {
            [$0.type, $0.signer, $0.attachedBy, $0.platformMade ? "yes" : "no",
             $0.facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "), String($0.envelope.prefix(19))]
        }).render()
        let approvals = release.approvals.isEmpty ? "none" : TextTable(headers: ["APPROVER", "ROLE", "AT", "COMMENT"], rows: release.approvals.map {
            [$0.approver, $0.role.rawValue, $0.approvedAt, $0.comment]
        }).render()
        return lines.joined(separator: "\n") + "\n\nBundle:\n" + bundle + "\n\nEvidence:\n" + evidence + "\n\nApprovals:\n" + approvals
    }
}

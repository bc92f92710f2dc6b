import ArgumentParser
import Foundation
import OCIKit
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl release evidence add|platform`.
public struct ReleaseEvidenceCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "evidence", abstract: "Attach signed evidence to a release, or have the platform make and sign it.",
        subcommands: [ReleaseEvidenceAddCommand.self, ReleaseEvidencePlatformCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl release evidence add R --type T FILE --key KEY.pem`: signs the file (a JSON
/// predicate) as an in-toto statement about every artifact of the release, in a DSSE
/// envelope, with a local key the project registered; the server checks the signature, the
/// subjects and the predicate against its type's schema.
public struct ReleaseEvidenceAddCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Sign a JSON predicate about the release's artifacts and attach it (uat-result, security-scan, …).",
        discussion: "Types and their predicate types come from the evidence-type registry (GET /v1/registries/evidence-type). A security scan is a SARIF 2.1.0 log or a CycloneDX VEX document as is.")
    @Argument(help: "The release id.") var release: String
    @Argument(help: "The predicate: a JSON file.") var file: String
    @Option(name: .long, help: ArgumentHelp("Evidence type id (uat-result, security-scan, residual-risk, rollback-plan, pipeline-links).", valueName: "type"))
    var type: String
    @Option(name: .long, help: ArgumentHelp("PEM private key of an artifact-signing key the project registered.", valueName: "file")) var key: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Signs and attaches.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        guard let content = FileManager.default.contents(atPath: file) else { throw AppCtlError(.clientConfigInvalid, "cannot read \(file)") }
        guard (try? JSONSerialization.jsonObject(with: content)) is [String: Any] else {
            throw AppCtlError(.clientConfigInvalid, "\(file) is not a JSON object: release evidence predicates are JSON")
        }
        let registry = EvidenceAttachCommand.entries(of: try await client.send(Endpoints.getRegistry, path: .init(kind: "evidence-type")))
        guard let entry = registry.first(where: { $0.evidenceId == type }) else {
            throw AppCtlError(.evidenceTypeUnknown,
                              "evidence type \(type) is not in the evidence-type registry (\(registry.map(\.evidenceId).joined(separator: ", ")))")
        }
        let signingKey = try AttestationPublisher.loadKey(key)
        let shown = try await client.send(Endpoints.getRelease, path: Endpoints.ReleaseItem(project: project, release))
        let repositories = Dictionary(try await client.send(Endpoints.listArtifacts, path: .init(project: project)).map { ($0.digest, $0.repository) },
                                      uniquingKeysWith: { first, _ in first })
        let envelope = try Self.envelope(predicate: content, predicateType: entry.predicateType, artifacts: shown.artifacts,
                                         names: repositories, key: signingKey)
        let attached = try await client.send(Endpoints.addReleaseEvidence, path: Endpoints.ReleaseItem(project: project, release),
                                             body: ReleaseEvidenceRequest(type: type, envelope: envelope))
        context.output(try Renderer(format: global.output).render(attached) {
            "Attached \(type) to release \(release) (envelope \(attached.envelope), key \(attached.keyId))"
                + (attached.facts.isEmpty ? "" : "; facts: " + attached.facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        })
    }

    /// The DSSE envelope's JSON: an in-toto Statement v1 whose subjects are every artifact
    /// (named by its repository when known, else its digest), signed with `key`.
    static func envelope(predicate: Data, predicateType: String, artifacts: [String], names: [String: String],
                         key: SigningPrivateKey) throws -> String {
        let digests = try artifacts.map { try ContentDigest(parsing: $0) }
        guard let first = digests.first else { throw AppCtlError(.releaseInvalid, "the release names no artifacts") }
        var statement = InTotoStatement(subject: names[first.description] ?? first.description, digest: first,
                                        predicateType: predicateType, predicate: predicate)
        // One subject per artifact (OCIKit builds a subject only through a one-subject statement).
        statement.subjects = digests.flatMap {
            InTotoStatement(subject: names[$0.description] ?? $0.description, digest: $0, predicateType: predicateType, predicate: predicate).subjects
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(DSSEEnvelope.sign(payload: try statement.encoded(), with: key)), as: UTF8.self)
    }
}

/// `appctl release evidence platform R --kind contract-drift|migration-status|capacity-posture [--report FILE]`.
public struct ReleaseEvidencePlatformCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "platform", abstract: "Have the platform make and sign evidence from its own state.",
        discussion: """
            contract-drift checks an `appctl contract check --json` report (--report) of the release's source commit against \
            the API documents the server derives from its own endpoints; migration-status records the server's schema against \
            this build's; capacity-posture records free GPUs against the policy's reserve.
            """)
    @Argument(help: "The release id.") var release: String
    @Option(name: .long, help: ArgumentHelp("contract-drift, migration-status or capacity-posture.", valueName: "kind")) var kind: String
    @Option(name: .long, help: ArgumentHelp("The `appctl contract check --json` output (contract-drift only).", valueName: "file")) var report: String?
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses an unknown kind, or a report with another kind, before any request.
    public func validate() throws {
        guard let parsed = PlatformEvidenceKind(rawValue: kind) else {
            throw ValidationError("--kind is one of \(PlatformEvidenceKind.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(kind)\".")
        }
        if parsed == .contractDrift, report == nil { throw ValidationError("contract-drift needs --report (the `appctl contract check --json` output).") }
        if parsed != .contractDrift, report != nil { throw ValidationError("--report is for contract-drift only.") }
    }

    /// Asks.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let text = try report.map { path -> String in
            guard let data = FileManager.default.contents(atPath: path) else { throw AppCtlError(.clientConfigInvalid, "cannot read \(path)") }
            return String(decoding: data, as: UTF8.self)
        }
        let made = try await PlatformClient(target: try ServerTarget.resolve(global, in: context)).send(
            Endpoints.addPlatformEvidence, path: Endpoints.ReleaseItem(project: project, release),
            body: PlatformEvidenceRequest(kind: PlatformEvidenceKind(rawValue: kind) ?? .migrationStatus, report: text))
        context.output(try Renderer(format: global.output).render(made) { ReleaseSmokeCommand.summary(made, release: release) })
    }
}

/// `appctl release smoke R --app A [--version V]`: a real launch in staging, timed to ready.
public struct ReleaseSmokeCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "smoke", abstract: "Launch the release's app in staging, time it to ready, stop it and attach deploy-smoke evidence.",
        discussion: "The request waits for the launch (up to the manifest's evidence.readyWithinMinutes); its request id is the release's correlation id for the launch, ready and stop events in the audit log.")
    @Argument(help: "The release id.") var release: String
    @Option(name: .long, help: ArgumentHelp("A registered app whose image is an artifact of the release.", valueName: "app")) var app: String
    @Option(name: .long, help: ArgumentHelp("The app version (default: the latest registered).", valueName: "version")) var version: String?
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Runs the smoke launch.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let target = try ServerTarget.resolve(global, in: context)
        // The server answers once the instance is ready (or failed) and stopped: minutes, not the default 10 s.
        let client = PlatformClient(server: target.server, token: target.token, userAgent: "appctl/\(PlatformVersion.version)", timeout: .seconds(1_200))
        let made = try await client.send(Endpoints.smokeRelease, path: Endpoints.ReleaseItem(project: project, release),
                                         body: ReleaseSmokeRequest(app: app, version: version))
        context.output(try Renderer(format: global.output).render(made) { Self.summary(made, release: release) })
    }

    static func summary(_ evidence: ReleaseEvidence, release: String) -> String {
        let facts = evidence.facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "Attached platform-signed \(evidence.type) to release \(release) (envelope \(evidence.envelope))" + (facts.isEmpty ? "" : "; \(facts)")
    }
}

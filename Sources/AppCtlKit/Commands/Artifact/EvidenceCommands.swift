import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl evidence`: signed evidence attached to artifacts.
public struct EvidenceCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "evidence", abstract: "Attach signed evidence (test reports, scans) to artifacts for promotion gates.",
        subcommands: [EvidenceAttachCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl evidence attach REPO@DIGEST --type T FILE --key KEYFILE`.
public struct EvidenceAttachCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "attach", abstract: "Attach a file as signed evidence: an in-toto statement of the type's predicate, pushed as a referrer.",
        discussion: "Evidence types and their predicate types come from the evidence-type registry (GET /v1/registries/evidence-type). A JSON file becomes the predicate; any other file is embedded base64.")
    @Argument(help: ArgumentHelp("<tenant>/<project>/<name>@sha256:… (or :tag; or <project-id>/<name>…).", valueName: "repo@digest")) var artifact: String
    @Argument(help: "The evidence file.") var file: String
    @Option(name: .long, help: ArgumentHelp("Evidence type id (e.g. ready-within, vulnerability-scan).", valueName: "type")) var type: String
    @Option(name: .long, help: ArgumentHelp("PEM private key file.", valueName: "file")) var key: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// One entry of the evidence-type registry.
    struct Entry { var evidenceId: String; var predicateType: String }

    /// The evidence-type registry's entries (`types[].evidence_id`, `types[].predicate_type`).
    static func entries(of registry: JSONValue) -> [Entry] {
        guard case .array(let types)? = registry["types"] else { return [] }
        return types.compactMap {
            guard case .string(let id)? = $0["evidence_id"], case .string(let predicate)? = $0["predicate_type"] else { return nil }
            return Entry(evidenceId: id, predicateType: predicate)
        }
    }

    /// Attaches.
    public func run(in context: CommandContext) async throws {
        let target = try ServerTarget.resolve(global, in: context)
        let reference = try ArtifactReference(parsing: artifact, requireDigest: true)
        let registry = Self.entries(of: try await PlatformClient(target: target).send(Endpoints.getRegistry, path: .init(kind: "evidence-type")))
        guard let entry = registry.first(where: { $0.evidenceId == type }) else {
            throw AppCtlError(.artifactEvidenceTypeUnknown,
                              "evidence type \(type) is not in the evidence-type registry (\(registry.map(\.evidenceId).joined(separator: ", ")))")
        }
        guard let content = FileManager.default.contents(atPath: file) else {
            throw AppCtlError(.clientConfigInvalid, "cannot read \(file)")
        }
        let predicate: Data = (try? JSONSerialization.jsonObject(with: content)) is [String: Any]
            ? content
            : try JSONSerialization.data(withJSONObject: ["file": (file as NSString).lastPathComponent, "contentBase64": content.base64EncodedString()])
        let published = try await AttestationPublisher(client: RegistryClient(target: target)).publish(
            reference, predicateType: entry.predicateType, predicate: predicate, key: try AttestationPublisher.loadKey(key), evidenceType: type)
        context.output(try Renderer(format: global.output).render(published) {
            "Attached \(type) evidence to \(reference.repository)@\(published.subject) (referrer \(published.referrer), key \(published.keyId))"
        })
    }
}

import ArgumentParser
import Foundation
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
    @Argument(help: ArgumentHelp("<project-id>/<name>@sha256:… (or :tag).", valueName: "repo@digest")) var artifact: String
    @Argument(help: "The evidence file.") var file: String
    @Option(name: .long, help: ArgumentHelp("Evidence type id (e.g. ready-within, vulnerability-scan).", valueName: "type")) var type: String
    @Option(name: .long, help: ArgumentHelp("PEM private key file.", valueName: "file")) var key: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    struct Registry: Decodable {
        struct Entry: Decodable { var evidence_id: String; var predicate_type: String }
        var types: [Entry]
    }

    /// Attaches.
    public func run(in context: CommandContext) async throws {
        let target = try ServerTarget.resolve(global, in: context)
        let reference = try ArtifactReference(parsing: artifact, requireDigest: true)
        let registry = try await PlatformClient(target: target).get("/v1/registries/evidence-type", as: Registry.self).body
        guard let entry = registry.types.first(where: { $0.evidence_id == type }) else {
            throw AppCtlError(.artifactEvidenceTypeUnknown,
                              "evidence type \(type) is not in the evidence-type registry (\(registry.types.map(\.evidence_id).joined(separator: ", ")))")
        }
        guard let content = FileManager.default.contents(atPath: file) else {
            throw AppCtlError(.clientConfigInvalid, "cannot read \(file)")
        }
        let predicate: Data = (try? JSONSerialization.jsonObject(with: content)) is [String: Any]
            ? content
            : try JSONSerialization.data(withJSONObject: ["file": (file as NSString).lastPathComponent, "contentBase64": content.base64EncodedString()])
        let published = try await AttestationPublisher(client: RegistryClient(target: target)).publish(
            reference, predicateType: entry.predicate_type, predicate: predicate, key: try AttestationPublisher.loadKey(key), evidenceType: type)
        context.output(try Renderer(format: global.output).render(published) {
            "Attached \(type) evidence to \(reference.repository)@\(published.subject) (referrer \(published.referrer), key \(published.keyId))"
        })
    }
}

import ArgumentParser
import Foundation
import OCIKit
import PlatformContracts

/// `appctl artifact sign REPO@DIGEST --key KEYFILE --source-repo URL --source-commit SHA`.
public struct ArtifactSignCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Sign an artifact: a DSSE envelope over an in-toto SLSA provenance statement, pushed as a referrer.",
        discussion: """
            The statement's subject is the manifest digest; its predicate (https://slsa.dev/provenance/v1) names the source \
            repository and commit. The key is a PEM ECDSA P-256 private key (openssl genpkey -algorithm EC -pkeyopt \
            ec_paramgen_curve:P-256, or appctl signing-key generate); it never leaves this machine. The server refuses the \
            signature unless its public key is registered for the project (appctl signing-key add).
            """)
    @Argument(help: ArgumentHelp("The artifact, <tenant>/<project>/<name>@sha256:… (or :tag; or <project-id>/<name>…).", valueName: "repo@digest")) var artifact: String
    @Option(name: .long, help: ArgumentHelp("PEM private key file.", valueName: "file")) var key: String
    @Option(name: .long, help: ArgumentHelp("Source repository URL.", valueName: "url")) var sourceRepo: String
    @Option(name: .long, help: ArgumentHelp("Source commit.", valueName: "sha")) var sourceCommit: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Signs and pushes.
    public func run(in context: CommandContext) async throws {
        let reference = try ArtifactReference(parsing: artifact, requireDigest: true)
        let privateKey = try AttestationPublisher.loadKey(key)
        let predicate = try InTotoStatement.provenance(
            sourceRepository: sourceRepo, commit: sourceCommit, builder: "appctl/\(PlatformVersion.version)")
        let publisher = AttestationPublisher(client: RegistryClient(target: try ServerTarget.resolve(global, in: context)))
        let published = try await publisher.publish(reference, predicateType: InTotoStatement.slsaProvenance, predicate: predicate,
                                                     key: privateKey, evidenceType: nil)
        context.output(try Renderer(format: global.output).render(published) {
            "Signed \(reference.repository)@\(published.subject) with key \(published.keyId)\nSignature referrer: \(published.referrer)"
        })
    }
}

import ArgumentParser
import Foundation
import OCIKit
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl release verify R`: checks the release's latest decision on this machine — the DSSE
/// signature against the platform's public key, the statement's type and subjects, and that
/// its result and inputs are the ones the server reports — without trusting the server's word.
public struct ReleaseVerifyCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the release's latest signed decision locally against the platform's evidence key (exits 65 when it does not verify).")
    @Argument(help: "The release id.") var release: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// The predicate type of a SLSA Verification Summary Attestation.
    public static let summaryType = "https://slsa.dev/verification_summary/v1"

    /// Fetches and verifies.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let shown = try await client.send(Endpoints.getRelease, path: Endpoints.ReleaseItem(project: project, release))
        guard let decision = shown.decision, let digest = decision.envelope else {
            throw AppCtlError(.releaseStateInvalid, "release \(shown.id) has no recorded decision yet; `appctl release promote` records one")
        }
        let key = try await client.send(Endpoints.getPlatformEvidenceKey)
        let envelope = try await client.send(Endpoints.getReleaseEnvelope,
                                             path: ReleaseEnvelopePath(project: project, release: shown.id, digest: digest))
        let statement = try Self.verify(envelope, decision: decision, release: shown, platformKeyPEM: key.publicKeyPEM)
        context.output(try Renderer(format: global.output).render(decision) {
            """
            Decision \(decision.id ?? "?") of release \(shown.id): \(decision.verificationResult) for \(decision.environment)
            Signed by the platform's evidence key \(key.keyId) (envelope \(digest))
            Statement \(statement.predicateType) about \(statement.subjects.count) artifact(s); \(decision.inputDigests.count) input envelope(s); policy snapshot \(decision.policySnapshot)
            """
        })
    }

    /// Verifies `envelope` as the platform-signed summary of `decision`.
    /// - Throws: `artifacts.signature_invalid` or `artifacts.signature_malformed` naming what does not hold.
    public static func verify(_ envelope: SignedEnvelope, decision: ReleaseDecision, release: Release, platformKeyPEM: String) throws
        -> InTotoStatement
    {
        let platformKey = try SigningPublicKey(pem: platformKeyPEM)
        let dsse = DSSEEnvelope(payload: envelope.payload, payloadType: envelope.payloadType,
                                signatures: envelope.signatures.map { DSSEEnvelope.Signature(keyid: $0.keyid, sig: $0.sig) })
        let payload = try dsse.payloadBytes()
        let message = DSSEEnvelope.pae(payloadType: dsse.payloadType, payload: payload)
        guard dsse.signatures.contains(where: { Data(base64Encoded: $0.sig).map { platformKey.verifies($0, over: message) } ?? false }) else {
            throw AppCtlError(.artifactSignatureInvalid, "the decision envelope is not signed by the platform's evidence key \(platformKey.keyID)")
        }
        let statement = try InTotoStatement.parse(payload)
        guard statement.predicateType == summaryType else {
            throw AppCtlError(.artifactSignatureMalformed, "the decision is a \(statement.predicateType) statement, not \(summaryType)")
        }
        for artifact in release.artifacts {
            guard let digest = try? ContentDigest(parsing: artifact), statement.isAbout(digest) else {
                throw AppCtlError(.artifactSignatureSubjectMismatch, "the signed decision does not name artifact \(artifact)")
            }
        }
        let predicate = try JSONSerialization.jsonObject(with: statement.predicate) as? [String: Any] ?? [:]
        guard predicate["verificationResult"] as? String == decision.verificationResult else {
            throw AppCtlError(.artifactSignatureInvalid,
                              "the signed result is \(predicate["verificationResult"] ?? "absent"), the server reports \(decision.verificationResult)")
        }
        let signedInputs = (predicate["inputAttestations"] as? [[String: Any]] ?? []).compactMap { ($0["digest"] as? [String: String])?["sha256"] }
        guard signedInputs.sorted() == decision.inputDigests.map({ String($0.dropFirst("sha256:".count)) }).sorted() else {
            throw AppCtlError(.artifactSignatureInvalid, "the signed inputs differ from the inputs the server reports")
        }
        return statement
    }
}

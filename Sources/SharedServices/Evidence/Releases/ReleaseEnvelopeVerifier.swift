import Foundation
import OCIKit
import PlatformContracts

/// Verifies a release statement's DSSE envelope: the signature against the project's
/// artifact-signing keys (or the platform's own key), then the in-toto statement and its
/// subjects. The key id in a signature is only a hint; the signature is checked before the
/// payload is interpreted. Failures reuse the artifact signature codes, so a forged release
/// scan reads like a forged referrer.
enum ReleaseEnvelopeVerifier {
    /// A signature that verified and the statement it carries.
    struct Verified: Sendable {
        /// The project key that verified it.
        let key: TrustedKey
        let statement: InTotoStatement
    }

    /// Verifies `bytes` against `keys` (a project's keys, revoked ones included so that
    /// "revoked" is told from "unknown").
    /// - Throws: `artifacts.signature_malformed`, `…_invalid`, `…_key_unknown`, `…_key_revoked`.
    static func verify(_ bytes: Data, keys: [TrustedKey]) throws(PlatformError) -> Verified {
        let (envelope, payload, message) = try SignatureKeyMatch.openInToto(bytes)
        var failure: PlatformError?
        for signature in envelope.signatures {
            let outcome = SignatureKeyMatch.check(signature: Data(base64Encoded: signature.sig), keyHint: signature.keyid, message: message,
                                                  keys: keys)
            if outcome.failure == nil, let key = outcome.key {
                return Verified(key: key, statement: try InTotoStatement.parse(payload))
            }
            failure = failure ?? outcome.failure
        }
        throw failure ?? PlatformError(.artifactSignatureMalformed, "the envelope carries no signature")
    }

    /// Verifies a platform-made envelope against the platform's public key.
    /// - Throws: `artifacts.signature_invalid` when the platform key did not sign it.
    static func verifyPlatform(_ bytes: Data, key: SigningPublicKey) throws(PlatformError) -> InTotoStatement {
        let (envelope, payload, message) = try SignatureKeyMatch.openInToto(bytes)
        let signed = envelope.signatures.contains { signature in
            Data(base64Encoded: signature.sig).map { key.verifies($0, over: message) } ?? false
        }
        guard signed else {
            throw PlatformError(.artifactSignatureInvalid, "the statement is not signed by the platform's evidence key \(key.keyID)")
        }
        return try InTotoStatement.parse(payload)
    }

    /// Requires the statement's subjects to name every artifact of the release.
    /// - Throws: `artifacts.signature_subject_mismatch` naming the artifacts left out.
    static func requireCovers(_ statement: InTotoStatement, artifacts: [String]) throws(PlatformError) {
        var uncovered: [String] = []
        for artifact in artifacts {
            guard let digest = try? ContentDigest(parsing: artifact), statement.isAbout(digest) else {
                uncovered.append(artifact)
                continue
            }
        }
        guard uncovered.isEmpty else {
            throw PlatformError(
                .artifactSignatureSubjectMismatch,
                "the signed statement does not name every artifact of the release: \(uncovered.joined(separator: ", ")) missing from its subjects",
                details: ["missing": uncovered.joined(separator: ",")])
        }
    }
}

import Foundation
import OCIKit
import PlatformContracts

/// Verifies DSSE envelopes and cosign simple signatures against a project's keys. The key
/// id in a signature is only a hint: a signature counts when it verifies with a key the
/// project trusts and has not revoked, over a statement about the artifact's own digest.
public enum AttestationVerifier {
    /// The outcome for one envelope or cosign layer.
    public struct Verdict: Sendable {
        /// The key that verified (or the revoked / named key that explains the failure).
        public var key: TrustedKey?
        /// The failure, if any.
        public var failure: PlatformError?
        /// The parsed statement (DSSE).
        public var statement: InTotoStatement?
    }

    /// Verifies a DSSE envelope about `subject`.
    public static func verifyDSSE(_ envelopeBytes: Data, subject: ContentDigest, keys: [TrustedKey]) -> Verdict {
        do {
            // The signature is checked before the payload is parsed: untrusted bytes are not interpreted.
            let (envelope, payload, message) = try SignatureKeyMatch.openInToto(envelopeBytes)
            var best: Verdict?
            for signature in envelope.signatures {
                let outcome = check(signature: Data(base64Encoded: signature.sig), keyHint: signature.keyid, message: message, keys: keys)
                if outcome.failure == nil { best = outcome; break }
                if best == nil { best = outcome }
            }
            guard var verdict = best, verdict.failure == nil else { return best ?? Verdict(key: nil, failure: nil, statement: nil) }
            let statement = try InTotoStatement.parse(payload)
            verdict.statement = statement
            if !statement.isAbout(subject) {
                verdict.failure = PlatformError(
                    .artifactSignatureSubjectMismatch,
                    "the signed statement is about \(statement.subjects.map { $0.digest["sha256"] ?? "?" }.joined(separator: ", ")), not \(subject)")
            }
            return verdict
        } catch {
            return Verdict(key: nil, failure: error, statement: nil)
        }
    }

    /// Verifies a cosign simple-signing payload and its base64 DER signature about `subject`.
    public static func verifyCosign(payload: Data, signature: String?, subject: ContentDigest, keys: [TrustedKey]) -> Verdict {
        guard let signature else {
            return Verdict(key: nil, failure: PlatformError(.artifactSignatureMalformed, "the layer has no \(Annotation.cosignSignature) annotation"))
        }
        var verdict = check(signature: Data(base64Encoded: signature), keyHint: nil, message: payload, keys: keys)
        if verdict.failure == nil {
            do {
                let signed = try CosignSimpleSigning.signedDigest(in: payload)
                if signed != subject {
                    verdict.failure = PlatformError(.artifactSignatureSubjectMismatch, "the payload vouches for \(signed), not \(subject)")
                }
            } catch {
                verdict.failure = error
            }
        }
        return verdict
    }

    static func check(signature: Data?, keyHint: String?, message: Data, keys: [TrustedKey]) -> Verdict {
        let outcome = SignatureKeyMatch.check(signature: signature, keyHint: keyHint, message: message, keys: keys)
        return Verdict(key: outcome.key, failure: outcome.failure)
    }
}

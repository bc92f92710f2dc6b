import Foundation
import PlatformContracts

/// Which of a project's trusted keys verifies a signature, shared by the artifact trust
/// ledger (referrers, cosign) and releases (bundle statements) so a forged release scan and a
/// forged referrer are judged alike. The key id a signature names is only a hint: a signature
/// counts when it verifies with a key the project trusts and has not revoked.
public enum SignatureKeyMatch {
    /// The key that verified (or the revoked or named key that explains the failure), or the failure.
    public struct Outcome: Sendable {
        /// The key that verified, or the one the failure is about.
        public var key: TrustedKey?
        /// `nil` when the signature counts.
        public var failure: PlatformError?
    }

    /// Checks `signature` over `message` against `keys` (revoked ones included, so that
    /// "revoked" is told from "unknown").
    public static func check(signature: Data?, keyHint: String?, message: Data, keys: [TrustedKey]) -> Outcome {
        guard let signature else {
            return Outcome(key: nil, failure: PlatformError(.artifactSignatureMalformed, "the signature is not base64"))
        }
        let parsed = keys.compactMap { key in (try? SigningPublicKey(pem: key.publicKeyPEM)).map { (key, $0) } }
        let hinted = keyHint.flatMap { hint in parsed.first { $0.0.id == hint } }
        let verified: TrustedKey
        if let (key, publicKey) = hinted {
            guard publicKey.verifies(signature, over: message) else {
                return Outcome(key: key, failure: PlatformError(
                    .artifactSignatureInvalid, "the signature does not verify with key \(key.id) (\(key.name)): payload or signature altered",
                    details: ["keyId": key.id]))
            }
            verified = key
        } else if let (key, _) = parsed.first(where: { $0.1.verifies(signature, over: message) }) {
            verified = key
        } else {
            return Outcome(key: nil, failure: PlatformError(
                .artifactSignatureKeyUnknown,
                "no key the project trusts verifies this signature\(keyHint.map { " (it names key \($0))" } ?? ""); register the public key first",
                details: keyHint.map { ["keyId": $0] } ?? [:]))
        }
        guard verified.status != .revoked else {
            return Outcome(key: verified, failure: PlatformError(
                .artifactSignatureKeyRevoked, "signed by key \(verified.id) (\(verified.name)), revoked \(verified.revokedAt ?? "")",
                details: ["keyId": verified.id]))
        }
        return Outcome(key: verified, failure: nil)
    }

    /// A DSSE envelope carrying an in-toto statement: the envelope, its payload and the PAE
    /// bytes its signatures cover. The payload is not interpreted here: signatures first.
    /// - Throws: `artifacts.signature_malformed`.
    public static func openInToto(_ bytes: Data) throws(PlatformError) -> (envelope: DSSEEnvelope, payload: Data, message: Data) {
        let envelope = try DSSEEnvelope.parse(bytes)
        guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
            throw PlatformError(.artifactSignatureMalformed, "payloadType is \(envelope.payloadType), not \(DSSEEnvelope.inTotoPayloadType)")
        }
        let payload = try envelope.payloadBytes()
        return (envelope, payload, DSSEEnvelope.pae(payloadType: envelope.payloadType, payload: payload))
    }
}

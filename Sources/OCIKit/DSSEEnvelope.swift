import Foundation
import PlatformContracts

/// A DSSE envelope (secure-systems-lab/dsse `envelope.md`): a payload, its type and
/// signatures over `PAE(payloadType, payload)`.
public struct DSSEEnvelope: Codable, Sendable, Equatable {
    /// One signature.
    public struct Signature: Codable, Sendable, Equatable {
        /// The signing key's id (``SigningPublicKey/keyID``), a hint only: verification tries it first.
        public var keyid: String
        /// Base64 of the DER ECDSA signature.
        public var sig: String

        /// Creates a signature entry.
        public init(keyid: String, sig: String) {
            self.keyid = keyid
            self.sig = sig
        }
    }

    /// Base64 of the payload bytes.
    public var payload: String
    /// The payload's type; `application/vnd.in-toto+json` for in-toto statements.
    public var payloadType: String
    /// Signatures over the PAE bytes.
    public var signatures: [Signature]

    /// The payload type of in-toto statements.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    /// Creates an envelope.
    public init(payload: String, payloadType: String, signatures: [Signature]) {
        self.payload = payload
        self.payloadType = payloadType
        self.signatures = signatures
    }

    /// DSSE's pre-authentication encoding: `"DSSEv1" SP len(type) SP type SP len(body) SP body`.
    public static func pae(payloadType: String, payload: Data) -> Data {
        var bytes = Data("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(payload.count) ".utf8)
        bytes.append(payload)
        return bytes
    }

    /// Signs a payload with a private key.
    public static func sign(payload: Data, payloadType: String = inTotoPayloadType, with key: SigningPrivateKey) -> DSSEEnvelope {
        let signature = key.sign(pae(payloadType: payloadType, payload: payload))
        return DSSEEnvelope(
            payload: payload.base64EncodedString(), payloadType: payloadType,
            signatures: [Signature(keyid: key.publicKey.keyID, sig: signature.base64EncodedString())])
    }

    /// The decoded payload bytes.
    /// - Throws: ``ErrorCode/artifactSignatureMalformed``.
    public func payloadBytes() throws(PlatformError) -> Data {
        guard let bytes = Data(base64Encoded: payload) else {
            throw PlatformError(.artifactSignatureMalformed, "the DSSE payload is not base64")
        }
        return bytes
    }

    /// Parses an envelope.
    /// - Throws: ``ErrorCode/artifactSignatureMalformed``.
    public static func parse(_ bytes: Data) throws(PlatformError) -> DSSEEnvelope {
        guard let envelope = try? JSONDecoder().decode(DSSEEnvelope.self, from: bytes), !envelope.signatures.isEmpty else {
            throw PlatformError(.artifactSignatureMalformed, "not a DSSE envelope with at least one signature")
        }
        return envelope
    }
}

/// A DSSE envelope as stored: what a release's evidence, approvals and decisions are, served
/// so that anyone holding the platform's public key (or the project's) can verify them offline.
public struct SignedEnvelope: Sendable, Codable, Equatable {
    /// One signature.
    public struct Signature: Sendable, Codable, Equatable {
        /// The signing key's id (a hint; verification tries the key it names first).
        public var keyid: String
        /// Base64 DER ECDSA P-256 signature over the envelope's PAE.
        public var sig: String
        public init(keyid: String, sig: String) {
            self.keyid = keyid
            self.sig = sig
        }
    }

    /// `sha256:…` of the envelope's bytes as stored.
    public var digest: String
    /// `application/vnd.in-toto+json`.
    public var payloadType: String
    /// Base64 of the in-toto statement.
    public var payload: String
    public var signatures: [Signature]
    public init(digest: String, payloadType: String, payload: String, signatures: [Signature]) {
        self.digest = digest
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }
}

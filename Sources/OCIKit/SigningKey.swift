import Crypto
import Foundation
import PlatformContracts

/// A public key that verifies artifact signatures: ECDSA P-256 with SHA-256, DER signatures
/// (what DSSE tooling, cosign and `openssl dgst -verify` use).
public struct SigningPublicKey: Sendable {
    // swift-crypto's key types are not Sendable; the DER bytes are.
    let der: Data
    var key: P256.Signing.PublicKey { (try? P256.Signing.PublicKey(derRepresentation: der))! }

    /// Parses a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    /// - Throws: ``ErrorCode/signingKeyInvalid``.
    public init(pem: String) throws(PlatformError) {
        do {
            der = try P256.Signing.PublicKey(pemRepresentation: pem).derRepresentation
        } catch {
            throw PlatformError(.signingKeyInvalid, "not a PEM ECDSA P-256 public key (BEGIN PUBLIC KEY); other algorithms are not accepted")
        }
    }

    init(key: P256.Signing.PublicKey) {
        self.der = key.derRepresentation
    }

    /// The canonical PEM form.
    public var pem: String { key.pemRepresentation }

    /// The key id: `sha256:` + hex SHA-256 of the DER SubjectPublicKeyInfo, so the same key
    /// always has the same id whoever registers it.
    public var keyID: String {
        "sha256:" + ContentDigest(sha256Bytes: SHA256.hash(data: der)).hex
    }

    /// Whether `signature` (DER) is a valid signature of `message`.
    public func verifies(_ signature: Data, over message: Data) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: message)
    }
}

/// A private signing key; it lives only in the client (`appctl artifact sign --key`).
public struct SigningPrivateKey: Sendable {
    let raw: Data
    var key: P256.Signing.PrivateKey { (try? P256.Signing.PrivateKey(rawRepresentation: raw))! }

    /// Parses a PEM private key (`PRIVATE KEY` PKCS#8 or `EC PRIVATE KEY` SEC1), as
    /// `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256` writes.
    /// - Throws: ``ErrorCode/signingKeyInvalid``.
    public init(pem: String) throws(PlatformError) {
        do {
            raw = try P256.Signing.PrivateKey(pemRepresentation: pem).rawRepresentation
        } catch {
            throw PlatformError(.signingKeyInvalid, "not a PEM ECDSA P-256 private key")
        }
    }

    /// A new random key.
    public init() {
        raw = P256.Signing.PrivateKey().rawRepresentation
    }

    /// PKCS#8 PEM.
    public var pem: String { key.pemRepresentation }

    /// The matching public key.
    public var publicKey: SigningPublicKey { SigningPublicKey(key: key.publicKey) }

    /// A DER ECDSA signature of `message` (SHA-256).
    public func sign(_ message: Data) -> Data {
        // swift-crypto only throws here for an invalid key, which a parsed key never is.
        (try? key.signature(for: message).derRepresentation) ?? Data()
    }
}

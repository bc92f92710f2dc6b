import Foundation
import OCIKit
import PlatformContracts

/// The platform's own evidence-signing key (ECDSA P-256, `platform-evidence.key` in the data
/// directory, mode 0600): platform-made evidence and release decisions are DSSE envelopes
/// signed with it, so a verifier needs only its public key (`GET /v1/releases/platform-key`).
public enum PlatformEvidenceKeyFile {
    /// Loads the key, or creates it on first start.
    public static func loadOrCreate(at url: URL) throws(PlatformError) -> SigningPrivateKey {
        if let data = FileManager.default.contents(atPath: url.path) {
            guard let pem = String(data: data, encoding: .utf8) else {
                throw PlatformError(.configInvalid, "\(url.path) is not a PEM private key")
            }
            return try SigningPrivateKey(pem: pem)
        }
        let key = SigningPrivateKey()
        guard FileManager.default.createFile(atPath: url.path, contents: Data(key.pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw PlatformError(.configInvalid, "cannot write the platform evidence key \(url.path)")
        }
        return key
    }
}

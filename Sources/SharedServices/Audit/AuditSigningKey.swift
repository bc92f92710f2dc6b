import Crypto
import Foundation
import PlatformContracts
import TransparencyLog

/// The server's Ed25519 checkpoint key, kept in `DATA_DIR/audit-signing.key` (mode 0600).
public enum AuditSigningKey {
    /// Loads the key, creating it on first start.
    public static func loadOrCreate(at url: URL, name: String) throws -> NoteKey {
        if let text = try? String(contentsOf: url, encoding: .utf8),
           let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            do {
                return NoteKey(name: name, privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
            } catch {
                throw PlatformError(.configInvalid, "\(url.path) does not hold an Ed25519 key: \(error)")
            }
        }
        let key = Curve25519.Signing.PrivateKey()
        guard FileManager.default.createFile(
            atPath: url.path, contents: Data(key.rawRepresentation.base64EncodedString().utf8),
            attributes: [.posixPermissions: 0o600])
        else { throw PlatformError(.configInvalid, "cannot write the audit signing key to \(url.path)") }
        return NoteKey(name: name, privateKey: key)
    }
}

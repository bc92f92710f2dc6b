import Crypto
import Foundation
import PlatformContracts

/// A checkpoint of a transparency log in the C2SP `tlog-checkpoint` form:
/// origin line, tree size, base64 root hash.
public struct Checkpoint: Sendable, Equatable, Codable {
    /// Names the log (`platformd/<installation id>/audit`).
    public var origin: String
    /// Number of leaves.
    public var size: UInt64
    /// RFC 6962 root over the first `size` leaves.
    public var rootHash: [UInt8]

    /// Creates a checkpoint.
    public init(origin: String, size: UInt64, rootHash: [UInt8]) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
    }

    /// The note body that is signed.
    public var body: String {
        "\(origin)\n\(size)\n\(Data(rootHash).base64EncodedString())\n"
    }

    /// Parses a note body.
    public init?(body: String) {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, lines.last == "", let size = UInt64(lines[1]),
              let root = Data(base64Encoded: String(lines[2])), root.count == 32, !lines[0].isEmpty
        else { return nil }
        self.init(origin: String(lines[0]), size: size, rootHash: Array(root))
    }
}

/// Signs and verifies C2SP signed notes with Ed25519 (signature type 0x01).
///
/// A note is `body + "\n" + "— <name> <base64(keyhash[4] || signature)>\n"`, where the key
/// hash is the first four bytes of `SHA256(name || "\n" || 0x01 || publicKey)`.
public struct NoteKey: Sendable {
    /// The key name shown in signature lines.
    public let name: String
    // Raw bytes: swift-crypto's key types are not Sendable.
    private let publicKeyBytes: Data
    private let privateKeyBytes: Data?

    /// The Ed25519 public key.
    public var publicKey: Curve25519.Signing.PublicKey {
        // The bytes came from a valid key, so decoding them cannot fail.
        try! Curve25519.Signing.PublicKey(rawRepresentation: publicKeyBytes)
    }

    /// A signing key.
    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) {
        self.name = name
        self.privateKeyBytes = privateKey.rawRepresentation
        self.publicKeyBytes = privateKey.publicKey.rawRepresentation
    }

    /// A verification key from its C2SP vkey text `<name>+<hex key hash>+<base64(0x01 || key)>`.
    public init(verifierKey: String) throws(PlatformError) {
        let parts = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let encoded = Data(base64Encoded: String(parts[2])), encoded.count == 33, encoded.first == 0x01,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: encoded.dropFirst())
        else {
            throw PlatformError(.auditVerificationFailed, "not an Ed25519 verifier key: \(verifierKey.prefix(80))")
        }
        self.name = String(parts[0])
        self.publicKeyBytes = key.rawRepresentation
        self.privateKeyBytes = nil
        guard Self.hex(keyHash) == parts[1] else {
            throw PlatformError(.auditVerificationFailed, "the verifier key's hash does not match its key")
        }
    }

    /// The four-byte key hash.
    public var keyHash: [UInt8] {
        Array(SHA256.hash(data: Array(name.utf8) + [0x0A, 0x01] + Array(publicKeyBytes)).prefix(4))
    }

    /// The C2SP verifier key text.
    public var verifierKey: String {
        "\(name)+\(Self.hex(keyHash))+\((Data([0x01]) + publicKeyBytes).base64EncodedString())"
    }

    /// Signs a note body; returns the whole signed note.
    public func sign(body: String) throws -> String {
        guard let privateKeyBytes else { throw PlatformError(.auditVerificationFailed, "this key can only verify") }
        let signature = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKeyBytes).signature(for: Data(body.utf8))
        return body + "\n— \(name) \((Data(keyHash) + signature).base64EncodedString())\n"
    }

    /// Verifies a signed note and returns its body.
    /// - Throws: ``ErrorCode/auditVerificationFailed`` when no line carries a valid signature of this key.
    public func verify(note: String) throws(PlatformError) -> String {
        guard let separator = note.range(of: "\n\n") else {
            throw PlatformError(.auditVerificationFailed, "the note has no signature block")
        }
        let body = String(note[..<separator.lowerBound]) + "\n"
        let signatures = note[separator.upperBound...].split(separator: "\n")
        for line in signatures where line.hasPrefix("— \(name) ") {
            guard let blob = Data(base64Encoded: String(line.dropFirst("— \(name) ".count))), blob.count == 68,
                  Array(blob.prefix(4)) == keyHash
            else { continue }
            if publicKey.isValidSignature(blob.dropFirst(4), for: Data(body.utf8)) { return body }
        }
        throw PlatformError(.auditVerificationFailed, "no valid signature by \(name) on the note")
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

import Crypto
import Foundation
import PlatformContracts

/// The platform's SSH user certificate authority (Ed25519). Instances with an `ssh` connect
/// action get its public key (`PLATFORM_SSH_USER_CA`) and their `sshd` trusts certificates it
/// signs whose principal is the instance id; a connect session gets one such certificate,
/// valid no longer than the session (OpenSSH `PROTOCOL.certkeys`).
public struct SSHCertificateAuthority: Sendable {
    /// The raw private key (swift-crypto's key type is not `Sendable`).
    let rawKey: Data
    /// The comment on the public key line.
    public let name: String

    var key: Curve25519.Signing.PrivateKey {
        // The bytes came from a valid key (both initialisers check), so this cannot fail.
        (try? Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)) ?? Curve25519.Signing.PrivateKey()
    }

    /// Wraps a key.
    public init(key: Curve25519.Signing.PrivateKey, name: String = "platformd-ssh-user-ca") {
        self.rawKey = key.rawRepresentation
        self.name = name
    }

    /// Loads the CA key from `file` (32 raw bytes), creating it (mode 0600) when absent.
    /// - Throws: ``ErrorCode/configInvalid`` when the file is unreadable or not a key.
    public static func loadOrCreate(at file: URL) throws(PlatformError) -> SSHCertificateAuthority {
        if let data = FileManager.default.contents(atPath: file.path) {
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data) else {
                throw PlatformError(.configInvalid, "\(file.path) is not a 32-byte Ed25519 SSH CA key")
            }
            return SSHCertificateAuthority(key: key)
        }
        let key = Curve25519.Signing.PrivateKey()
        guard FileManager.default.createFile(atPath: file.path, contents: key.rawRepresentation, attributes: [.posixPermissions: 0o600]) else {
            throw PlatformError(.configInvalid, "cannot write the SSH CA key \(file.path)")
        }
        return SSHCertificateAuthority(key: key)
    }

    /// `ssh-ed25519 AAAA… name`, for `TrustedUserCAKeys`.
    public var publicKeyLine: String {
        "ssh-ed25519 \(Data(Self.publicKeyBlob(key.publicKey.rawRepresentation)).base64EncodedString()) \(name)"
    }

    /// Certifies `publicKeyLine` (one `ssh-ed25519` key) for `principal`, valid from a minute
    /// ago (clock skew) until `validBefore`.
    /// - Returns: The certificate line for `CertificateFile`.
    /// - Throws: ``ErrorCode/connectSSHKeyInvalid`` for anything but an Ed25519 public key line.
    public func certify(publicKeyLine: String, principal: String, keyID: String, validBefore: Date,
                        now: Date = Date()) throws(PlatformError) -> String {
        let userKey = try Self.ed25519Key(from: publicKeyLine)
        var body = SSHWire()
        body.string("ssh-ed25519-cert-v01@openssh.com")
        body.string(Array(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }))
        body.string(userKey)
        body.uint64(UInt64.random(in: 1...UInt64.max))
        body.uint32(1)                                   // SSH_CERT_TYPE_USER
        body.string(keyID)
        var principals = SSHWire()
        principals.string(principal)
        body.string(principals.bytes)
        body.uint64(UInt64(max(0, now.timeIntervalSince1970 - 60)))
        body.uint64(UInt64(max(0, validBefore.timeIntervalSince1970)))
        body.string([UInt8]())                           // no critical options
        var extensions = SSHWire()                       // lexical order, empty data
        for name in ["permit-port-forwarding", "permit-pty"] {
            extensions.string(name)
            extensions.string([UInt8]())
        }
        body.string(extensions.bytes)
        body.string([UInt8]())                           // reserved
        body.string(Self.publicKeyBlob(key.publicKey.rawRepresentation))
        guard let signature = try? key.signature(for: body.bytes) else {
            throw PlatformError(.internalError, "the SSH CA could not sign")
        }
        var signatureBlob = SSHWire()
        signatureBlob.string("ssh-ed25519")
        signatureBlob.string(Array(signature))
        body.string(signatureBlob.bytes)
        return "ssh-ed25519-cert-v01@openssh.com \(Data(body.bytes).base64EncodedString()) \(keyID)"
    }

    /// The 32 key bytes of an `ssh-ed25519 BASE64 [comment]` line.
    static func ed25519Key(from line: String) throws(PlatformError) -> [UInt8] {
        let fields = line.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 2, fields[0] == "ssh-ed25519", let blob = Data(base64Encoded: String(fields[1])) else {
            throw PlatformError(.connectSSHKeyInvalid, "sshPublicKey must be one `ssh-ed25519 AAAA…` line (ssh-keygen -t ed25519)")
        }
        var reader = SSHWire.Reader(Array(blob))
        guard reader.string() == Array("ssh-ed25519".utf8), let key = reader.string(), key.count == 32, reader.atEnd else {
            throw PlatformError(.connectSSHKeyInvalid, "sshPublicKey is not a well-formed Ed25519 public key")
        }
        return key
    }

    static func publicKeyBlob(_ raw: Data) -> [UInt8] {
        var blob = SSHWire()
        blob.string("ssh-ed25519")
        blob.string(Array(raw))
        return blob.bytes
    }
}

/// SSH wire encoding (RFC 4251 §5): big-endian integers and length-prefixed strings.
struct SSHWire {
    var bytes: [UInt8] = []

    mutating func uint32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    mutating func uint64(_ value: UInt64) {
        uint32(UInt32(value >> 32))
        uint32(UInt32(value & 0xffff_ffff))
    }

    mutating func string(_ value: [UInt8]) {
        uint32(UInt32(value.count))
        bytes += value
    }

    mutating func string(_ value: String) { string(Array(value.utf8)) }

    /// Reads the same encoding back.
    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { offset == bytes.count }

        mutating func string() -> [UInt8]? {
            guard bytes.count - offset >= 4 else { return nil }
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            offset += 4
            guard length <= bytes.count - offset else { return nil }
            defer { offset += length }
            return Array(bytes[offset..<offset + length])
        }
    }
}

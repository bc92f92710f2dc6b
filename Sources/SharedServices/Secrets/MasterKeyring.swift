import Crypto
import Foundation
import PlatformContracts
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One platform master key: wraps (AES-256-GCM) the data keys of secret versions.
public struct MasterKey: Sendable {
    /// Derived from the key itself (`mk-` and 16 hex digits of a SHA-256 over a label and
    /// the key), so a row names the key that wraps it without the keyring keeping ids, and a
    /// different key under the same name cannot exist.
    public let id: String
    /// The key bytes (kept as bytes: `SymmetricKey` is not `Sendable`).
    let bytes: [UInt8]

    /// The key for AES-GCM.
    var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// A key from 32 bytes.
    /// - Throws: ``ErrorCode/configInvalid`` for any other length.
    public init(bytes: [UInt8]) throws(PlatformError) {
        guard bytes.count == 32 else {
            throw PlatformError(.configInvalid, "a secrets master key is 32 bytes (base64: 44 characters), not \(bytes.count)")
        }
        self.bytes = bytes
        let digest = SHA256.hash(data: Array("platform-secrets-master-key/v1\u{0}".utf8) + bytes)
        id = "mk-" + digest.prefix(8).lowercaseHex
    }

    /// A fresh random key.
    public static func generate() -> MasterKey {
        var bytes = [UInt8](repeating: 0, count: 32)
        SymmetricKey(size: .bits256).withUnsafeBytes { raw in bytes = Array(raw) }
        return try! MasterKey(bytes: bytes)
    }

    /// The key as a keyring line (standard base64).
    public var base64: String { Data(bytes).base64EncodedString() }
}

/// The master keys, primary first: the primary wraps every new data key; the others still
/// unwrap the data keys they wrapped until a master-key rotation re-wraps them.
///
/// Sources: a file (`--secrets-master-key FILE`, `PLATFORMD_SECRETS_MASTER_KEY_FILE`; one
/// base64 key per line, `#` comments; generated 0600 under the data directory on first start
/// when no source is named) or the environment (`PLATFORMD_SECRETS_MASTER_KEY`: base64 keys
/// separated by commas). Rotating: put a new key on the first line (or first in the
/// variable), then `POST /v1/secrets/master-key/rotate` (which re-reads a file source first,
/// so a running server picks the new primary up without a restart).
public struct MasterKeyring: Sendable {
    /// Where the keys come from.
    public enum Source: Sendable, Equatable {
        /// A key file (re-read on rotation).
        case file(String)
        /// Given in the environment (read once at start).
        case environment
        /// Given directly (tests).
        case fixed
    }

    /// The keys, primary first; never empty.
    public let keys: [MasterKey]
    /// Where they came from.
    public let source: Source

    /// A keyring over keys, primary first.
    /// - Throws: ``ErrorCode/configInvalid`` when empty.
    public init(keys: [MasterKey], source: Source = .fixed) throws(PlatformError) {
        guard !keys.isEmpty else { throw PlatformError(.configInvalid, "a secrets master keyring needs at least one key") }
        self.keys = keys
        self.source = source
    }

    /// The key that wraps new data keys.
    public var primary: MasterKey { keys[0] }

    /// The key with an id, if the keyring still holds it.
    public func key(id: String) -> MasterKey? { keys.first { $0.id == id } }

    /// Parses keyring text: one base64 key per line (or comma-separated), `#` comments.
    /// - Throws: ``ErrorCode/configInvalid`` naming the line (never its content).
    public static func parse(_ text: String, source: Source, origin: String) throws(PlatformError) -> MasterKeyring {
        var keys: [MasterKey] = []
        var index = 0
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            for entry in line.split(separator: ",") {
                let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { continue }
                index += 1
                guard let bytes = Data(base64Encoded: trimmed) else {
                    throw PlatformError(.configInvalid, "\(origin): key \(index) is not base64")
                }
                let key = try MasterKey(bytes: Array(bytes))
                if !keys.contains(where: { $0.id == key.id }) { keys.append(key) }
            }
        }
        guard !keys.isEmpty else { throw PlatformError(.configInvalid, "\(origin) holds no key") }
        return try MasterKeyring(keys: keys, source: source)
    }

    /// The keyring the server starts with: `PLATFORMD_SECRETS_MASTER_KEY` when set, else the
    /// named file (which must exist), else `defaultFile`, created with one fresh key (0600)
    /// when absent.
    /// - Throws: ``ErrorCode/configInvalid`` (a named file missing, a malformed key, a key file
    ///   readable by others).
    public static func load(file: String?, defaultFile: URL, environment: [String: String]) throws(PlatformError) -> MasterKeyring {
        if let value = environment["PLATFORMD_SECRETS_MASTER_KEY"], !value.isEmpty {
            return try parse(value, source: .environment, origin: "PLATFORMD_SECRETS_MASTER_KEY")
        }
        let named = file ?? environment["PLATFORMD_SECRETS_MASTER_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        if let named { return try read(path: named) }
        if !FileManager.default.fileExists(atPath: defaultFile.path) {
            let text = "# platformd secrets master keys: base64, primary first (see docs/ARCHITECTURE.md, Secrets).\n"
                + MasterKey.generate().base64 + "\n"
            guard FileManager.default.createFile(atPath: defaultFile.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw PlatformError(.configInvalid, "cannot create the secrets master key file \(defaultFile.path)") }
        }
        return try read(path: defaultFile.path)
    }

    /// Reads a key file, refusing one that others may read.
    /// - Throws: ``ErrorCode/configInvalid``.
    public static func read(path: String) throws(PlatformError) -> MasterKeyring {
        var info = stat()
        guard stat(path, &info) == 0 else { throw PlatformError(.configInvalid, "the secrets master key file \(path) does not exist") }
        guard info.st_mode & 0o077 == 0 else {
            throw PlatformError(.configInvalid, "the secrets master key file \(path) is readable by others; chmod 600 it")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlatformError(.configInvalid, "cannot read the secrets master key file \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: .file(path), origin: path)
    }

    /// The keyring as its source says now (a file is re-read; other sources are what they were).
    /// - Throws: ``ErrorCode/secretUnavailable`` when the file no longer reads.
    func reloaded() throws(PlatformError) -> MasterKeyring {
        guard case .file(let path) = source else { return self }
        do {
            return try Self.read(path: path)
        } catch {
            throw PlatformError(.secretUnavailable, "the secrets master key file no longer reads: \(error.message)")
        }
    }
}

/// The keyring a running store uses, swapped whole when a rotation re-reads it.
final class KeyringBox: Sendable {
    private let current: Mutex<MasterKeyring>

    init(_ keyring: MasterKeyring) { current = Mutex(keyring) }

    var keyring: MasterKeyring { current.withLock { $0 } }

    func replace(_ keyring: MasterKeyring) { current.withLock { $0 = keyring } }
}

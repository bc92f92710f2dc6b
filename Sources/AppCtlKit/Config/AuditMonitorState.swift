import Foundation
import PlatformContracts

/// What `appctl audit verify` remembers about each server's audit log, as a Certificate
/// Transparency monitor does: the last checkpoint it verified (size and root) and,
/// once pinned, the key that must sign every later checkpoint. Kept in
/// `audit-monitor.json` beside `config.yaml` (mode 0600).
///
/// Without it, a log whose newest records were deleted (and its head and checkpoints
/// rewound) verifies as a smaller, intact log, and a log re-signed with a key taken from
/// the server's data directory verifies against the key the export itself carries.
public struct AuditMonitorState: Codable, Equatable, Sendable {
    /// One server's remembered state.
    public struct Server: Codable, Equatable, Sendable {
        /// The log's origin line.
        public var origin: String
        /// Size of the last verified checkpoint.
        public var size: Int64
        /// Its RFC 6962 root, base64.
        public var rootHash: String
        /// When it was verified (RFC 3339).
        public var verifiedAt: String
        /// The pinned C2SP verifier key, if any.
        public var pinnedKey: String?

        /// Creates the value.
        public init(origin: String, size: Int64, rootHash: String, verifiedAt: String, pinnedKey: String?) {
            self.origin = origin
            self.size = size
            self.rootHash = rootHash
            self.verifiedAt = verifiedAt
            self.pinnedKey = pinnedKey
        }
    }

    /// By server base URL.
    public var servers: [String: Server]

    /// Creates a state.
    public init(servers: [String: Server] = [:]) {
        self.servers = servers
    }

    /// `audit-monitor.json` in the folder of the config file.
    public static func path(besideConfig configPath: String) -> String {
        URL(fileURLWithPath: configPath).deletingLastPathComponent().appendingPathComponent("audit-monitor.json").path
    }

    /// Loads the file, or an empty state when it does not exist.
    /// - Throws: ``ErrorCode/clientConfigInvalid`` when it exists but cannot be read: a
    ///   monitor that silently forgot what it saw would accept a truncated log.
    public static func load(from path: String) throws -> AuditMonitorState {
        guard FileManager.default.fileExists(atPath: path) else { return AuditMonitorState() }
        do {
            return try JSONDecoder().decode(AuditMonitorState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw AppCtlError(.clientConfigInvalid, "cannot read \(path): \(error); fix or remove it to start monitoring afresh")
        }
    }

    /// Writes the file atomically (mode 0600), creating its folder.
    public func save(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            try encoder.encode(self).write(to: url, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw AppCtlError(.clientConfigInvalid, "cannot write \(path): \(error)")
        }
    }
}

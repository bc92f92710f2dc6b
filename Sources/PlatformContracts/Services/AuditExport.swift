/// Everything needed to verify the audit log offline: every record with its stored hashes,
/// the head, the signed checkpoints and the log's verifier key.
/// The hashing that makes it verifiable lives in TransparencyLog (`AuditHashing`, `AuditLogVerifier`).
public struct AuditExport: Sendable, Codable, Equatable {
    /// One exported row.
    public struct Entry: Sendable, Codable, Equatable {
        /// The record.
        public var record: AuditRecord
        /// Stored leaf hash, hex.
        public var leafHash: String
        /// Stored chain hash, hex.
        public var chainHash: String

        /// Creates an entry.
        public init(record: AuditRecord, leafHash: String, chainHash: String) {
            self.record = record
            self.leafHash = leafHash
            self.chainHash = chainHash
        }
    }

    /// The log's origin line.
    public var origin: String
    /// C2SP verifier key of the server's checkpoint signing key.
    public var verifierKey: String
    /// The head's size (last sequence number).
    public var size: Int64
    /// The head's chain hash, hex.
    public var headChainHash: String
    /// Rows in sequence order.
    public var entries: [Entry]
    /// Signed checkpoint notes, oldest first.
    public var checkpoints: [String]

    /// Creates an export.
    public init(origin: String, verifierKey: String, size: Int64, headChainHash: String, entries: [Entry], checkpoints: [String]) {
        self.origin = origin
        self.verifierKey = verifierKey
        self.size = size
        self.headChainHash = headChainHash
        self.entries = entries
        self.checkpoints = checkpoints
    }
}

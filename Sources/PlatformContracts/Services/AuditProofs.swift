/// The newest signed checkpoint of the audit log (`GET /v1/audit/checkpoint`): what a
/// monitor remembers and later asks a consistency proof from.
public struct AuditCheckpointInfo: Sendable, Codable, Equatable {
    /// The log's origin line.
    public var origin: String
    /// Records the checkpoint covers.
    public var size: Int64
    /// RFC 6962 root over them, base64.
    public var rootHash: String
    /// The C2SP signed note (`origin\nsize\nroot\n\n— name signature`).
    public var note: String
    /// The C2SP verifier key the server says signed it (trust it only once pinned).
    public var verifierKey: String

    /// Creates the value.
    public init(origin: String, size: Int64, rootHash: String, note: String, verifierKey: String) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.note = note
        self.verifierKey = verifierKey
    }
}

/// An RFC 6962 consistency proof (`GET /v1/audit/consistency?from=M&to=N`): the nodes that
/// show the log's first `to` records extend its first `from` records unchanged.
public struct AuditConsistencyProof: Sendable, Codable, Equatable {
    /// The older tree size.
    public var from: Int64
    /// The newer tree size.
    public var to: Int64
    /// The proof's node hashes, base64, in RFC 6962 order.
    public var proof: [String]

    /// Creates the value.
    public init(from: Int64, to: Int64, proof: [String]) {
        self.from = from
        self.to = to
        self.proof = proof
    }
}

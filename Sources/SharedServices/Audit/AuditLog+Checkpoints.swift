import Foundation
import PlatformContracts
import PlatformStore
import SQLKit
import TransparencyLog

extension AuditLog {
    /// Signs a checkpoint over the whole log if it grew since the last one; returns the
    /// new size, or `nil` when there was nothing new.
    @discardableResult
    public func checkpoint() async throws -> Int64? {
        try await store.transaction { db in try await checkpoint(in: db) }
    }

    /// ``checkpoint()`` in the caller's transaction (the export signs one over itself).
    @discardableResult
    func checkpoint(in db: any SQLDatabase) async throws -> Int64? {
        guard let head = try await db.select().column("size").from("audit_head").where("id", .equal, 1).first() else {
            return nil
        }
        let size = try head.decode(column: "size", as: Int64.self)
        let last = try await lastCheckpointSize(db)
        guard size > last else { return nil }
        let leaves = try await leafHashes(upTo: size, db)
        let checkpoint = Checkpoint(origin: origin, size: UInt64(size), rootHash: MerkleTree.root(of: leaves))
        let note = try signer.sign(body: checkpoint.body)
        // Two signers racing at one size sign the same root: keep the first.
        try await db.insert(into: "audit_checkpoints").columns("size", "root_hash", "note", "created_at")
            .values(SQLBind(size), SQLBind(AuditHashing.hex(checkpoint.rootHash)), SQLBind(note),
                    SQLBind(Timestamp.now().rfc3339))
            .ignoringConflicts(with: "size")
            .run()
        return size
    }

    /// Rows appended since the last checkpoint.
    public func pendingSinceCheckpoint() async throws -> Int64 {
        try await store.read { db in
            let size = try await db.select().column("size").from("audit_head").where("id", .equal, 1).first()?
                .decode(column: "size", as: Int64.self) ?? 0
            return size - (try await lastCheckpointSize(db))
        }
    }

    /// The newest signed checkpoint, signed over the current head first if the log grew
    /// since the last one (so a monitor sees the head, not a checkpoint up to a minute old;
    /// at most one signature per appended record); `nil` only for an empty log.
    public func latestCheckpoint() async throws -> AuditCheckpointInfo? {
        try await checkpoint()
        return try await store.read { db in
            guard let row = try await db.select().columns("size", "root_hash", "note").from("audit_checkpoints")
                .orderBy("size", .descending).limit(1).first()
            else { return nil }
            return AuditCheckpointInfo(
                origin: origin, size: try row.decode(column: "size", as: Int64.self),
                rootHash: Data(try Self.bytes(hex: row.decode(column: "root_hash", as: String.self))).base64EncodedString(),
                note: try row.decode(column: "note", as: String.self), verifierKey: verifierKey)
        }
    }

    /// The RFC 6962 consistency proof from the first `from` records to the first `to`.
    /// - Throws: ``ErrorCode/httpBadRequest`` unless `1 ≤ from ≤ to ≤` the log's size (a log
    ///   that shrank below what a monitor remembers cannot answer, which is the point).
    public func consistencyProof(from: Int64, to: Int64) async throws -> AuditConsistencyProof {
        guard from >= 1, from <= to else {
            throw PlatformError(.httpBadRequest, "a consistency proof needs 1 ≤ from ≤ to (got from=\(from), to=\(to))")
        }
        return try await store.read { db in
            let size = try await db.select().column("size").from("audit_head").where("id", .equal, 1).first()?
                .decode(column: "size", as: Int64.self) ?? 0
            guard to <= size else {
                throw PlatformError(.httpBadRequest, "the log has \(size) records; no consistency proof to \(to)")
            }
            let leaves = try await leafHashes(upTo: to, db)
            guard leaves.count == Int(to) else {
                throw PlatformError(.auditUnavailable, "the log is missing records below \(to)")
            }
            let proof = MerkleTree.consistencyProof(oldSize: Int(from), leafHashes: leaves)
            return AuditConsistencyProof(from: from, to: to, proof: proof.map { Data($0).base64EncodedString() })
        }
    }

    private func leafHashes(upTo size: Int64, _ db: any SQLDatabase) async throws -> [MerkleTree.Hash] {
        try await db.select().column("leaf_hash").from("audit_log")
            .where("seq", .lessThanOrEqual, size).orderBy("seq").all()
            .map { try Self.bytes(hex: $0.decode(column: "leaf_hash", as: String.self)) }
    }

    private func lastCheckpointSize(_ db: any SQLDatabase) async throws -> Int64 {
        try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("size")), as: "size")
            .from("audit_checkpoints").first()?.decode(column: "size", as: Int64?.self) ?? 0
    }
}

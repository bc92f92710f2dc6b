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
        try await store.transaction { db in
            guard let head = try await db.select().column("size").from("audit_head").where("id", .equal, 1).first() else {
                return nil
            }
            let size = try head.decode(column: "size", as: Int64.self)
            let last = try await lastCheckpointSize(db)
            guard size > last else { return nil }
            let leaves = try await db.select().column("leaf_hash").from("audit_log")
                .where("seq", .lessThanOrEqual, size).orderBy("seq").all()
                .map { try Self.bytes(hex: $0.decode(column: "leaf_hash", as: String.self)) }
            let checkpoint = Checkpoint(origin: origin, size: UInt64(size), rootHash: MerkleTree.root(of: leaves))
            let note = try signer.sign(body: checkpoint.body)
            try await db.insert(into: "audit_checkpoints").columns("size", "root_hash", "note", "created_at")
                .values(SQLBind(size), SQLBind(AuditHashing.hex(checkpoint.rootHash)), SQLBind(note),
                        SQLBind(Timestamp.now().rfc3339))
                .run()
            return size
        }
    }

    /// Rows appended since the last checkpoint.
    public func pendingSinceCheckpoint() async throws -> Int64 {
        try await store.read { db in
            let size = try await db.select().column("size").from("audit_head").where("id", .equal, 1).first()?
                .decode(column: "size", as: Int64.self) ?? 0
            return size - (try await lastCheckpointSize(db))
        }
    }

    private func lastCheckpointSize(_ db: any SQLDatabase) async throws -> Int64 {
        try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("size")), as: "size")
            .from("audit_checkpoints").first()?.decode(column: "size", as: Int64?.self) ?? 0
    }
}

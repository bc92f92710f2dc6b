import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// The shared operating record: every evidence statement the platform accepted, whatever it
/// is about (`evidence_records`). Writers that already hold a transaction (a release
/// attaching a statement together with its own rows) call ``insert(_:in:)`` inside it, so
/// the record and the thing it proves commit or fail together.
public struct EvidenceRecords: EvidenceStore {
    let store: SQLStore

    /// Uses the platform store (the `evidence` module's schema migrated).
    public init(store: SQLStore) {
        self.store = store
    }

    /// Records `record` in its own transaction.
    public func attach(_ record: EvidenceRecord) async throws {
        try await store.transaction { db in try await Self.insert(record, in: db) }
    }

    /// Records for `subject`, oldest first.
    public func evidence(for subject: String) async throws -> [EvidenceRecord] {
        try await store.read { db in
            try await db.select().columns("*").from("evidence_records").where("subject", .equal, subject)
                .orderBy("recorded_at").orderBy("id").all().map(Self.record)
        }
    }

    /// Inserts `record` with `db` (inside the caller's transaction). An empty `recordedAt`
    /// is stamped now.
    public static func insert(_ record: EvidenceRecord, in db: any SQLDatabase) async throws {
        let facts = String(decoding: try JSONEncoder.sortedFacts.encode(record.facts), as: UTF8.self)
        try await db.insert(into: "evidence_records")
            .columns("id", "type", "subject", "document", "predicate_type", "key_id", "signer", "attached_by", "project_id",
                     "retention_class", "facts", "recorded_at")
            .values(SQLBind(record.id), SQLBind(record.type), SQLBind(record.subject), SQLBind(record.document.description),
                    SQLBind(record.predicateType), SQLBind(record.keyId), SQLBind(record.signer), SQLBind(record.attachedBy),
                    SQLBind(record.projectId), SQLBind(record.retentionClass), SQLBind(facts),
                    SQLBind(record.recordedAt.isEmpty ? Timestamp.now().rfc3339 : record.recordedAt))
            .run()
    }

    static func record(_ row: any SQLRow) throws -> EvidenceRecord {
        let facts = try JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "facts", as: String.self).utf8))
        return EvidenceRecord(
            type: try row.decode(column: "type", as: String.self), subject: try row.decode(column: "subject", as: String.self),
            document: try ContentDigest(parsing: try row.decode(column: "document", as: String.self)),
            id: try row.decode(column: "id", as: String.self), predicateType: try row.decode(column: "predicate_type", as: String.self),
            keyId: try row.decode(column: "key_id", as: String.self), signer: try row.decode(column: "signer", as: String.self),
            attachedBy: try row.decode(column: "attached_by", as: String.self), projectId: try row.decode(column: "project_id", as: String?.self),
            retentionClass: try row.decode(column: "retention_class", as: String.self), facts: facts,
            recordedAt: try row.decode(column: "recorded_at", as: String.self))
    }
}

extension JSONEncoder {
    /// Sorted keys: a record's facts are stored byte-stable.
    static var sortedFacts: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

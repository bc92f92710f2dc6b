import Foundation
import PlatformContracts
import PlatformStore
import SQLKit
import TransparencyLog

/// The audit service: an append-only log whose rows form a SHA-256 hash chain, advanced
/// under the single `audit_head` row in the writer's transaction (so sequence numbers are
/// gapless), with RFC 6962 checkpoints signed by the server's Ed25519 key.
///
/// Records in a caller's transaction (``append(_:tenant:in:)``) take the head row there; records
/// of their own (``record(_:)``: denials, reads worth recording) are group-committed by an
/// ``AuditGroupCommit``: the appends that arrive while one transaction commits share the next,
/// with one head update for all of them, in arrival order, still gapless and chained.
public struct AuditLog: TransactionalAuditing, AuditRecorder, AuditReading {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "audit", kind: .sharedService, contract: "AuditRecorder, AuditReading, TransactionalAuditing",
        summary: "the append-only, hash-chained audit log with signed checkpoints.")

    let store: SQLStore
    let actions: AuditActionRegistry
    let signer: NoteKey
    /// The log's origin line in checkpoints.
    public let origin: String
    /// Told of every record that could not be appended (the change it audits is refused with
    /// it): `platform_audit_write_failures_total`, the degradation table's audit row.
    public var onWriteFailure: (@Sendable () -> Void)?
    /// Shares one transaction and one head update among concurrent ``record(_:)`` calls.
    let groupCommit: AuditGroupCommit

    /// Creates the service.
    /// - Parameters:
    ///   - store: A store migrated with ``AuditSchema``.
    ///   - actions: The audit-action registry; other actions are refused.
    ///   - signer: Signs checkpoints.
    ///   - origin: Names the log in checkpoints.
    public init(store: SQLStore, actions: AuditActionRegistry, signer: NoteKey, origin: String) {
        self.store = store
        self.actions = actions
        self.signer = signer
        self.origin = origin
        self.groupCommit = AuditGroupCommit(store: store)
    }

    /// The C2SP verifier key of the checkpoint signer.
    public var verifierKey: String { signer.verifierKey }

    /// Appends one record in the caller's transaction.
    @discardableResult
    public func append(_ event: AuditEvent, tenant: String?, in db: any SQLDatabase) async throws -> AuditRecord {
        do {
            return try await write(event, tenant: tenant, in: db)
        } catch {
            onWriteFailure?()
            throw error
        }
    }

    /// Appends one record, or throws ``ErrorCode/auditUnavailable``.
    private func write(_ event: AuditEvent, tenant: String?, in db: any SQLDatabase) async throws -> AuditRecord {
        guard let record = try await write([(event, tenant)], in: db).first else {
            throw PlatformError(.auditUnavailable, "the audit record could not be written")
        }
        return record
    }

    /// Appends records in order under one head update, or throws ``ErrorCode/auditUnavailable``
    /// and writes none (the caller's transaction rolls back).
    func write(_ events: [(event: AuditEvent, tenant: String?)], in db: any SQLDatabase) async throws -> [AuditRecord] {
        for (event, _) in events where !actions.isKnown(event.action) {
            throw PlatformError(.auditUnavailable, "audit action \"\(event.action)\" is not in the audit-action registry")
        }
        guard !events.isEmpty else { return [] }
        do {
            // Taking the head row first serialises appenders (row lock on PostgreSQL, the
            // single writer on SQLite) and makes the sequence gapless: the batch owns the
            // sequence numbers size+1 … size+count.
            guard let head = try await db.raw(
                "UPDATE audit_head SET size = size + \(bind: Int64(events.count)) WHERE id = 1 RETURNING size, chain_hash").first()
            else { throw PlatformError(.auditUnavailable, "the audit head row is missing") }
            var sequence = try head.decode(column: "size", as: Int64.self) - Int64(events.count)
            var previous = try Self.bytes(hex: head.decode(column: "chain_hash", as: String.self))
            var records: [AuditRecord] = []
            let insert = db.insert(into: "audit_log")
                .columns("seq", "id", "time", "tenant_id", "project_id", "actor", "action", "target", "outcome", "request_id",
                         "details", "leaf_hash", "chain_hash", "correlation_id")
            for (event, tenant) in events {
                sequence += 1
                // Canonical before hashing: what is hashed is what both backends store and read back.
                let record = AuditHashing.canonical(AuditRecord(
                    sequence: sequence, id: ULID().description, time: Timestamp.now().rfc3339, tenant: tenant, project: event.project,
                    actor: event.actor.rawValue, action: event.action, target: event.target, outcome: event.outcome,
                    requestId: event.requestID, details: event.details))
                let leaf = AuditHashing.leafHash(record)
                let chain = AuditHashing.chainHash(previous: previous, leaf: leaf)
                let details = String(decoding: try JSONEncoder.sorted.encode(record.details), as: UTF8.self)
                insert.values(SQLBind(sequence), SQLBind(record.id), SQLBind(record.time), SQLBind(record.tenant), SQLBind(record.project),
                              SQLBind(record.actor), SQLBind(record.action), SQLBind(record.target), SQLBind(record.outcome.rawValue),
                              SQLBind(record.requestId), SQLBind(details), SQLBind(AuditHashing.hex(leaf)),
                              SQLBind(AuditHashing.hex(chain)), SQLBind(record.details[AuditSchema.correlationKey]))
                previous = chain
                records.append(record)
            }
            try await insert.run()
            try await db.update("audit_head").set("chain_hash", to: SQLBind(AuditHashing.hex(previous)))
                .where("id", .equal, 1).run()
            return records
        } catch let error as PlatformError where error.code == .auditUnavailable {
            throw error
        } catch {
            throw PlatformError(
                .auditUnavailable, "the audit record could not be written, so the change was not made: \(error)")
        }
    }

    /// Appends one record in a transaction of its own (denials, reads worth recording),
    /// shared with the other ``record(_:)`` calls waiting meanwhile (group commit). Returns
    /// once that transaction committed; if it fails, every record in it fails with
    /// ``ErrorCode/auditUnavailable`` and none is written.
    public func record(_ event: AuditEvent) async throws {
        guard actions.isKnown(event.action) else {
            onWriteFailure?()
            throw PlatformError(.auditUnavailable, "audit action \"\(event.action)\" is not in the audit-action registry")
        }
        do {
            try await groupCommit.append(event) { batch, db in _ = try await write(batch.map { ($0, $0.tenant) }, in: db) }
        } catch {
            onWriteFailure?()
            throw error
        }
    }

    static func bytes(hex: String) throws -> [UInt8] {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { throw PlatformError(.auditUnavailable, "corrupt hash in audit table") }
        return try stride(from: 0, to: utf8.count, by: 2).map { index in
            guard let byte = UInt8(String(decoding: utf8[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                throw PlatformError(.auditUnavailable, "corrupt hash in audit table")
            }
            return byte
        }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

@testable import AppPlatform
import Foundation
import PlatformContracts
import PlatformStore
import SQLKit
import Testing

/// `instance.ready` and `instance.failed` are written to the outbox in the phase change's
/// own transaction (issue 18 point 10): the notice exists if and only if the phase committed.
@Suite("Instance phase notices in the outbox")
struct InstanceNoticeTests {
    /// An audit log that refuses every append, so the transaction it is part of rolls back.
    struct RefusingAudit: TransactionalAuditing {
        func append(_ event: AuditEvent, tenant: String?, in db: any SQLDatabase) async throws -> AuditRecord {
            throw PlatformError(.storeQueryFailed, "the audit log refuses")
        }
    }

    /// One stored intent: its topic, dedupe key and decoded event.
    struct Stored {
        let topic: String
        let dedupeKey: String?
        let event: NotificationEvent
    }

    static func intents(_ store: SQLStore) async throws -> [Stored] {
        try await store.read { db in
            try await db.raw("SELECT topic, dedupe_key, payload FROM outbox_intents ORDER BY event_id").all().map { row in
                Stored(topic: try row.decode(column: "topic", as: String.self),
                       dedupeKey: try row.decode(column: "dedupe_key", as: String?.self),
                       event: try JSONDecoder().decode(NotificationEvent.self,
                                                       from: Data(try row.decode(column: "payload", as: String.self).utf8)))
            }
        }
    }

    /// A fast tier (its store has the outbox table; its supervisor knows nothing of the rows
    /// written here) and a repository writing notices.
    static func withRepository(_ body: (FastTier, InstanceRepository) async throws -> Void) async throws {
        try await FastTier.with { tier in
            try await body(tier, InstanceRepository(store: tier.store, audit: tier.audit, outbox: OutboxWriter(clock: tier.clock)))
        }
    }

    @Test("entering ready writes instance.ready to the launcher with app, instance and url; earlier phases write nothing")
    func readyWritesInstanceReady() async throws {
        try await Self.withRepository { tier, repository in
            var row = try InstanceRowFixture.row(id: "01JREADY000000000000000000", project: FastTier.project.id)
            row.host = "10.0.0.7"
            row.endpoints = ["http": 8443]
            try await repository.appendEvent(row, message: "admitted", at: row.createdAt, creating: true)
            for phase in [InstancePhase.scheduled, .starting, .running] {
                row.phase = phase
                try await repository.appendEvent(row, message: phase.name, at: row.createdAt)
            }
            #expect(try await Self.intents(tier.store).isEmpty)
            row.phase = .ready
            try await repository.appendEvent(row, message: "ready", at: "2027-01-15T08:01:00.000Z")
            let intents = try await Self.intents(tier.store)
            #expect(intents.count == 1)
            let stored = try #require(intents.first)
            #expect(stored.topic == NotificationEvent.topic)
            #expect(stored.dedupeKey == "\(row.id)/ready")
            #expect(stored.event.template == "instance.ready")
            #expect(stored.event.recipients == [row.launchedBy])
            #expect(stored.event.project == row.projectId && stored.event.tenant == row.tenantId)
            #expect(stored.event.variables == ["app": "app", "instance": row.id, "url": "http://10.0.0.7:8443"])
            #expect(stored.event.occurredAt == Timestamp(rfc3339: "2027-01-15T08:01:00.000Z"))
        }
    }

    @Test("entering failed writes instance.failed with the failure reason; writing the phase again is one intent")
    func failedWritesInstanceFailedOnce() async throws {
        try await Self.withRepository { tier, repository in
            var row = try InstanceRowFixture.row(id: "01JFAILED00000000000000000", project: FastTier.project.id)
            try await repository.appendEvent(row, message: "admitted", at: row.createdAt, creating: true)
            row.phase = .failed(.exitNonZero)
            try await repository.appendEvent(row, message: "exited 3", at: row.createdAt)
            try await repository.appendEvent(row, message: "exited 3", at: row.createdAt)
            let intents = try await Self.intents(tier.store)
            #expect(intents.count == 1)
            #expect(intents.first?.event.template == "instance.failed")
            #expect(intents.first?.event.variables == ["app": "app", "instance": row.id, "reason": FailureReason.exitNonZero.rawValue])
            #expect(intents.first?.dedupeKey == "\(row.id)/failed")
        }
    }

    /// The notice is written before the audit record, so a refusing audit log rolls back an
    /// intent already written on the transaction.
    @Test("a failed phase change that rolls back leaves neither the phase nor an intent")
    func rolledBackFailureLeavesNoIntent() async throws {
        try await Self.withRepository { tier, repository in
            var row = try InstanceRowFixture.row(id: "01JR0LLBACK000000000000000", project: FastTier.project.id)
            try await repository.appendEvent(row, message: "admitted", at: row.createdAt, creating: true)
            row.phase = .failed(.lost)
            let refusing = InstanceRepository(store: tier.store, audit: RefusingAudit(), outbox: OutboxWriter(clock: tier.clock))
            await #expect(throws: PlatformError.self) {
                try await refusing.appendEvent(row, message: "lost", at: row.createdAt,
                                               audit: row.auditEvent(action: "apps.instance.fail", actor: nil, requestID: nil, message: nil))
            }
            #expect(try await Self.intents(tier.store).isEmpty)
            #expect(try await repository.find(row.id)?.phase == .accepted)
        }
    }

    @Test("a ready instance without a reachable endpoint is named by its API path")
    func readyWithoutEndpointNamesTheAPIPath() throws {
        var row = try InstanceRowFixture.row(id: "01JN0END000000000000000000", project: "P")
        row.phase = .ready
        let notice = try #require(InstanceNotices.notice(for: row, at: row.createdAt))
        #expect(notice.event.variables["url"] == "/v1/projects/P/instances/01JN0END000000000000000000")
        row.phase = .stopped
        #expect(InstanceNotices.notice(for: row, at: row.createdAt) == nil)
    }
}

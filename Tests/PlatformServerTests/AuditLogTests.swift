@testable import AuditService
import Foundation
import HTTPTypes
import PlatformContracts
import PlatformServer
import PlatformTestKit
import PlatformStore
import SQLKit
import Testing
import TransparencyLog

@Suite("Tamper-evident audit log", .tags(.integration))
struct AuditLogTests {
    @Test("10,000 concurrent appends verify; editing or deleting any row is caught and named", arguments: ServerBackend.enabled)
    func chainUnderConcurrency(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let audit = fixture.server.audit
            let workers = 25, perWorker = 400
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        for index in 0..<perWorker {
                            try await audit.record(AuditEvent(
                                actor: PrincipalID("worker-\(worker)"), action: "iam.access.denied", target: "load/\(index)",
                                outcome: .denied, requestID: "r-\(worker)-\(index)", details: ["i": "\(index)"]))
                            if worker == 0 && index == perWorker / 2 { try await audit.checkpoint() }
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await audit.checkpoint()
            let export = try await fixture.server.store.read { db in try await audit.exportSnapshot(db) }
            let total = Int64(workers * perWorker) + 2  // plus the bootstrap record and the first policy snapshot
            #expect(export.size == total)
            #expect(export.entries.map(\.record.sequence) == Array(1...total))
            let report = AuditLogVerifier.verify(export)
            #expect(report.valid, "\(report)")
            #expect(report.checkpointsVerified >= 2)

            // Someone edits one row in the database.
            try await fixture.server.store.transaction { db in
                try await db.update("audit_log").set("target", to: SQLBind("nothing to see")).where("seq", .equal, 5000).run()
            }
            let edited = AuditLogVerifier.verify(try await fixture.server.store.read { db in try await audit.exportSnapshot(db) })
            #expect(!edited.valid)
            #expect(edited.firstBadSequence == 5000)

            // Someone deletes another row (after repairing the first, to isolate the finding).
            try await fixture.server.store.transaction { db in
                try await db.update("audit_log").set("target", to: SQLBind(export.entries[4999].record.target)).where("seq", .equal, 5000).run()
                try await db.delete(from: "audit_log").where("seq", .equal, 7777).run()
            }
            let deleted = AuditLogVerifier.verify(try await fixture.server.store.read { db in try await audit.exportSnapshot(db) })
            #expect(!deleted.valid)
            #expect(deleted.firstBadSequence == 7777)
            #expect(deleted.problem?.contains("missing") == true)

            // Someone rewrites a row and every hash after it: the signed checkpoints still catch it.
            var forged = export
            forged.entries[10].record.target = "rewritten"
            var chain = AuditHashing.genesis
            for index in forged.entries.indices {
                let leaf = AuditHashing.leafHash(forged.entries[index].record)
                chain = AuditHashing.chainHash(previous: chain, leaf: leaf)
                forged.entries[index].leafHash = AuditHashing.hex(leaf)
                forged.entries[index].chainHash = AuditHashing.hex(chain)
            }
            forged.headChainHash = AuditHashing.hex(chain)
            let rewritten = AuditLogVerifier.verify(forged)
            #expect(!rewritten.valid)
            #expect(rewritten.problem?.contains("signed checkpoint") == true)
        }
    }

    @Test("with the audit store unwritable, a privileged mutation fails with audit.unavailable and changes nothing", arguments: ServerBackend.enabled)
    func failClosed(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let before = try await fixture.ok(.get, "/v1/tenants", key: fixture.adminKey, as: [Tenant].self)
            try await fixture.server.store.transaction { db in
                try await db.raw("ALTER TABLE audit_log RENAME TO audit_log_unwritable").run()
            }
            let reply = try await fixture.call(.post, "/v1/tenants", key: fixture.adminKey, body: ["name": "ghost"])
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.errorCode == "audit.unavailable")
            let keyReply = try await fixture.call(.get, "/v1/keys", key: fixture.adminKey)
            #expect(keyReply.status == .ok)  // reads do not need audit
            try await fixture.server.store.transaction { db in
                try await db.raw("ALTER TABLE audit_log_unwritable RENAME TO audit_log").run()
            }
            let after = try await fixture.ok(.get, "/v1/tenants", key: fixture.adminKey, as: [Tenant].self)
            #expect(after == before)
            #expect(!after.contains { $0.name == "ghost" })
            // Once audit is back, the same mutation succeeds and the chain still verifies.
            #expect(try await fixture.call(.post, "/v1/tenants", key: fixture.adminKey, body: ["name": "ghost"]).status == .created)
            let export = try await fixture.server.store.read { db in try await fixture.server.audit.exportSnapshot(db) }
            #expect(AuditLogVerifier.verify(export).valid)
        }
    }

    @Test("records written on their own are group-committed: 500 concurrent writers share far fewer transactions, in a gapless chain; when the transaction fails every record in it fails and none is written",
          arguments: ServerBackend.enabled)
    func groupCommit(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let audit = fixture.server.audit
            let start = await audit.groupCommit.committed
            let sizeBefore = try await fixture.server.store.read { db in try await audit.exportSnapshot(db) }.size
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<500 {
                    group.addTask {
                        try await audit.record(AuditEvent(actor: PrincipalID("writer-\(index)"), action: "iam.access.denied",
                                                          target: "group/\(index)", outcome: .denied))
                    }
                }
                try await group.waitForAll()
            }
            let after = await audit.groupCommit.committed
            let transactions = after.transactions - start.transactions
            print("figure: 500 concurrent audit records committed in \(transactions) transactions (\(backend))")
            #expect(after.records - start.records == 500)
            #expect(transactions < 500, "concurrent records share transactions")
            var export = try await fixture.server.store.read { db in try await audit.exportSnapshot(db) }
            #expect(export.size >= sizeBefore + 500)
            #expect(export.entries.filter { $0.record.target.hasPrefix("group/") }.count == 500)
            #expect(export.entries.map(\.record.sequence) == Array(1...export.size))
            #expect(AuditLogVerifier.verify(export).valid)

            // The log's table goes away: every record of the failing batch fails; none is written.
            try await fixture.server.store.transaction { db in try await db.raw("ALTER TABLE audit_log RENAME TO audit_log_gone").run() }
            let failures = await withTaskGroup(of: ErrorCode?.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            try await audit.record(AuditEvent(actor: PrincipalID("late-\(index)"), action: "iam.access.denied",
                                                              target: "late/\(index)", outcome: .denied))
                            return nil
                        } catch {
                            return (error as? PlatformError)?.code
                        }
                    }
                }
                return await group.reduce(into: [ErrorCode?]()) { $0.append($1) }
            }
            #expect(failures.count == 20 && failures.allSatisfy { $0 == .auditUnavailable })
            try await fixture.server.store.transaction { db in try await db.raw("ALTER TABLE audit_log_gone RENAME TO audit_log").run() }
            try await audit.record(AuditEvent(actor: PrincipalID("back"), action: "iam.access.denied", target: "back", outcome: .denied))
            export = try await fixture.server.store.read { db in try await audit.exportSnapshot(db) }
            #expect(!export.entries.contains { $0.record.target.hasPrefix("late/") }, "the failed batch left no record")
            #expect(export.entries.map(\.record.sequence) == Array(1...export.size), "and no gap")
            #expect(AuditLogVerifier.verify(export).valid)
        }
    }

    @Test("the export endpoint returns a log that verifies offline and records the export itself")
    func exportEndpoint() async throws {
        try await withIAMServer(.sqlite) { fixture in
            _ = try await fixture.ok(.post, "/v1/tenants", key: fixture.adminKey, body: ["name": "acme"], as: Tenant.self)
            try await fixture.server.audit.checkpoint()
            let export = try await fixture.ok(.get, "/v1/audit/export", key: fixture.adminKey, as: AuditExport.self)
            #expect(export.entries.last?.record.action == "audit.export")
            let report = AuditLogVerifier.verify(export)
            // The periodic checkpoint, and the one the export signs over itself.
            #expect(report.valid && report.checkpointsVerified == 2, "\(report)")
            #expect(report.latestCheckpoint?.size == UInt64(export.size))
        }
    }
}

import Foundation
import PlatformStore
import SQLKit

/// The `audit` module's tables: the hash-chained log, its head and the signed checkpoints.
public enum AuditSchema {
    /// Migrations of the `audit` module.
    public static let migrations = MigrationSet(module: "audit", migrations: [
        Migration(version: 1, name: "create audit log, head and checkpoints", statements: [
            """
            CREATE TABLE audit_log (
                seq BIGINT PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                time TEXT NOT NULL,
                tenant_id TEXT,
                project_id TEXT,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                outcome TEXT NOT NULL,
                request_id TEXT,
                details TEXT NOT NULL,
                leaf_hash TEXT NOT NULL,
                chain_hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_tenant_seq ON audit_log (tenant_id, seq)",
            "CREATE TABLE audit_head (id BIGINT PRIMARY KEY, size BIGINT NOT NULL, chain_hash TEXT NOT NULL)",
            "INSERT INTO audit_head (id, size, chain_hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
            """
            CREATE TABLE audit_checkpoints (
                size BIGINT PRIMARY KEY,
                root_hash TEXT NOT NULL,
                note TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
        ]),
        // The read model: who did what to which target under which request, newest first.
        // Each filter of `AuditRecordFilter` has an index ending in `seq`, so a newest-first
        // page is an index range scan whatever the log's size. `correlation_id` copies
        // `details.correlationId` (not part of the hashed record, which stays as it was);
        // rows written before it are filled in from their details.
        Migration(version: 2, name: "audit read model indexes and correlation ids") { db in
            try await db.raw("ALTER TABLE audit_log ADD COLUMN correlation_id TEXT").run()
            for statement in [
                "CREATE INDEX audit_log_actor_seq ON audit_log (actor, seq)",
                "CREATE INDEX audit_log_target_seq ON audit_log (target, seq)",
                "CREATE INDEX audit_log_request_seq ON audit_log (request_id, seq)",
                "CREATE INDEX audit_log_correlation_seq ON audit_log (correlation_id, seq)",
            ] { try await db.raw(SQLQueryString(statement)).run() }
            let rows = try await db.select().columns("seq", "details").from("audit_log")
                .where("details", .like, "%\"\(correlationKey)\"%").all()
            for row in rows {
                let details = try JSONDecoder().decode(
                    [String: String].self, from: Data(try row.decode(column: "details", as: String.self).utf8))
                guard let correlation = details[correlationKey] else { continue }
                try await db.update("audit_log").set("correlation_id", to: SQLBind(correlation))
                    .where("seq", .equal, try row.decode(column: "seq", as: Int64.self)).run()
            }
        },
    ])

    /// The details key a record names its correlation id under (copied to `correlation_id`).
    public static let correlationKey = "correlationId"
}

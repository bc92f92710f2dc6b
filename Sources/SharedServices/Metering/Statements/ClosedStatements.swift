import Crypto
import Foundation
import PlatformContracts
import SQLKit

/// Closed statements in `billing_statements`: the document is stored as written when it was
/// closed and never changes, so a statement a tenant was sent reads the same forever, and its
/// digest lets anyone check that it did not.
///
/// The document is the statement's canonical JSON (sorted keys, no insignificant whitespace)
/// with `digest` absent; the digest is the lowercase hex SHA-256 of exactly those bytes.
enum ClosedStatements {
    /// The canonical document of a statement and its SHA-256.
    static func document(_ statement: Statement) throws -> (json: String, digest: String) {
        var body = statement
        body.digest = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(body)
        return (String(decoding: data, as: UTF8.self), digest(data))
    }

    /// Lowercase hex SHA-256.
    static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).lowercaseHex
    }

    /// The closed statement of `tenant` for `period`, if there is one.
    static func read(tenant: String, period: BillingPeriod, in db: any SQLDatabase) async throws -> Statement? {
        guard let row = try await db.select().columns("document", "digest").from("billing_statements")
            .where("tenant_id", .equal, tenant).where("period", .equal, period.description).first()
        else { return nil }
        let document = try row.decode(column: "document", as: String.self)
        var statement: Statement
        do {
            statement = try JSONDecoder().decode(Statement.self, from: Data(document.utf8))
        } catch {
            throw PlatformError(.storeQueryFailed, "the closed statement of \(tenant) for \(period) does not decode: \(error)")
        }
        statement.digest = try row.decode(column: "digest", as: String.self)
        return statement
    }

    /// Stores a closed statement (the caller holds the billing lock and found none stored).
    static func insert(_ statement: Statement, by actor: String, in db: any SQLDatabase) async throws -> Statement {
        let (json, digest) = try document(statement)
        try await db.insert(into: "billing_statements")
            .columns("tenant_id", "period", "closed_at", "closed_by", "document", "digest")
            .values(SQLBind(statement.tenant), SQLBind(statement.period.description), SQLBind((statement.closedAt ?? statement.generatedAt).rfc3339),
                    SQLBind(actor), SQLBind(json), SQLBind(digest))
            .run()
        var stored = statement
        stored.digest = digest
        return stored
    }
}

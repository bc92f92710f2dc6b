import Foundation
import Logging
@testable import MeteringService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit

/// A store migrated with the outbox, metering and billing schemas: the ledger without a
/// server, on SQLite or PostgreSQL.
struct LedgerFixture: Sendable {
    let store: SQLStore
    let backend: ServerBackend
    let logger = Logger(label: "test.ledger") { _ in SwiftLogNoOpLogHandler() }

    func count(_ sql: SQLQueryString) async throws -> Int64 {
        try await store.read { db in try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? -1 }
    }

    /// Posts one balanced entry directly through the ledger writer.
    @discardableResult
    func post(_ id: String, tenant: String, kind: JournalEntryKind = .creditGrant, _ postings: [Posting], at: Timestamp = .now()) async throws
        -> JournalEntry?
    {
        try await store.transaction { db in
            try await LedgerWriter.post(id: id, kind: kind, tenant: tenant, reference: id, memo: nil, postings: postings, by: "test", at: at,
                                        in: db, backend: store.backend)
        }
    }

    /// A grant of `amount` promotional credit to `tenant`.
    static func grant(_ tenant: String, _ amount: Int64) -> [Posting] {
        [Posting(account: .promotionsExpense, currency: "USD", amount: amount),
         Posting(account: .tenant(tenant, .promotionalCredit), currency: "USD", amount: -amount)]
    }
}

func withLedgerStore<T>(_ backend: ServerBackend, _ body: (LedgerFixture) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory async throws in
        let location: DatabaseLocation = switch backend {
        case .sqlite: .sqlite(path: directory.appending("platform.db").path)
        case .postgres: try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())
        }
        let logger = Logger(label: "test.ledger") { _ in SwiftLogNoOpLogHandler() }
        let store = try await SQLStore.open(location, logger: logger)
        do {
            try await Migrator(store: store, sets: [OutboxSchema.migrations, MeteringSchema.migrations, BillingSchema.migrations],
                               logger: logger).migrate()
            let result = try await body(LedgerFixture(store: store, backend: backend))
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

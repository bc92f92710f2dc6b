import Foundation
import Logging
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// One store conformance suite, run against SQLite and a real PostgreSQL server.
@Suite("Store conformance")
struct StoreConformanceTests {
    @Test("a fresh database is migrated, and migrating again applies nothing", arguments: Backend.enabled)
    func migratesFreshDatabase(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, _, _ async throws in
            let migrator = Migrator(store: store, sets: ConformanceSchema.all)
            #expect(try await migrator.appliedVersions() == ["core": 1, "conformance": 1])
            #expect(try await migrator.migrate() == 0)
        }
    }

    @Test("a schema version newer than this build is refused", arguments: Backend.enabled)
    func refusesNewerSchema(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, _, _ async throws in
            try await store.transaction { db in
                try await db.insert(into: Migrator.table).columns("module", "version", "name", "applied_at")
                    .values(SQLBind("conformance"), SQLBind(2), SQLBind("from the future"), SQLBind(Timestamp.now().rfc3339))
                    .run()
            }
            let error = await #expect(throws: PlatformError.self) {
                try await Migrator(store: store, sets: ConformanceSchema.all).migrate()
            }
            #expect(error?.code == .storeSchemaTooNew)
            #expect(error?.message.contains("conformance v2") == true)
            #expect(error?.message.contains("v1 this platformd") == true)
        }
    }

    @Test("a schema module this build does not know is refused", arguments: Backend.enabled)
    func refusesUnknownModule(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, _, _ async throws in
            try await store.transaction { db in
                try await db.insert(into: Migrator.table).columns("module", "version", "name", "applied_at")
                    .values(SQLBind("teleporter"), SQLBind(1), SQLBind("x"), SQLBind(Timestamp.now().rfc3339))
                    .run()
            }
            let error = await #expect(throws: PlatformError.self) {
                try await Migrator(store: store, sets: ConformanceSchema.all).checkCompatible()
            }
            #expect(error?.code == .storeSchemaTooNew)
            #expect(error?.message.contains("teleporter") == true)
        }
    }

    @Test("a failing migration is rolled back whole and not recorded", arguments: Backend.enabled)
    func failedMigrationRollsBack(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, _, _ async throws in
            let broken = MigrationSet(module: "broken", migrations: [
                Migration(version: 1, name: "half good", statements: [
                    "CREATE TABLE broken_half (id TEXT PRIMARY KEY)",
                    "THIS IS NOT SQL",
                ]),
            ])
            let error = await #expect(throws: PlatformError.self) {
                try await Migrator(store: store, sets: ConformanceSchema.all + [broken]).migrate()
            }
            #expect(error?.code == .storeMigrationFailed)
            #expect(try await Migrator(store: store, sets: ConformanceSchema.all).appliedVersions()["broken"] == nil)
            await #expect(throws: PlatformError.self) {
                try await store.read { db in _ = try await db.raw("SELECT id FROM broken_half").all() }
            }
        }
    }

    @Test("64-bit integers round-trip exactly", arguments: Backend.enabled)
    func integersRoundTrip(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, _, _ async throws in
            let values: [Int64] = [.max, .min, 0, -1, 9_007_199_254_740_993]  // 2^53+1 is not exact as a double
            try await store.transaction { db in
                for (index, value) in values.enumerated() {
                    try await insertItem(db, name: "n\(index)", quantity: value)
                }
            }
            for (index, value) in values.enumerated() {
                let stored = try await store.read { db in
                    try await db.select().column("quantity").from("conformance_items").where("name", .equal, "n\(index)")
                        .first()!.decode(column: "quantity", as: Int64.self)
                }
                #expect(stored == value)
            }
        }
    }

    @Test("text ULIDs sort by creation and RFC 3339 timestamps round-trip", arguments: Backend.enabled)
    func ulidsAndTimestamps(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, _, _ async throws in
            let ids = [ULID(milliseconds: 1_000), ULID(milliseconds: 2_000), ULID(milliseconds: 3_000)]
            try await store.transaction { db in
                for id in ids.reversed() { try await insertItem(db, id: id.description, name: id.description, quantity: 1) }
            }
            let rows = try await store.read { db in
                try await db.select().columns("id", "created_at").from("conformance_items").orderBy("id").all()
            }
            #expect(try rows.map { try $0.decode(column: "id", as: String.self) } == ids.map(\.description))
            for row in rows {
                let text = try row.decode(column: "created_at", as: String.self)
                #expect(Timestamp(rfc3339: text)?.rfc3339 == text)
            }
        }
    }

    @Test("a transaction that throws leaves nothing behind", arguments: Backend.enabled)
    func rollbackOnError(backend: Backend) async throws {
        struct Abort: Error {}
        try await withMigratedStore(backend) { store, _, _ async throws in
            await #expect(throws: Abort.self) {
                try await store.transaction { db in
                    try await insertItem(db, name: "ghost", quantity: 1)
                    throw Abort()
                }
            }
            #expect(try await countItems(store, name: "ghost") == 0)
            try await store.transaction { db in try await insertItem(db, name: "after", quantity: 1) }
            #expect(try await countItems(store, name: "after") == 1)
        }
    }

    @Test("a duplicate key is store.conflict and rolls back the transaction", arguments: Backend.enabled)
    func duplicateKeyIsConflict(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, _, _ async throws in
            try await store.transaction { db in try await insertItem(db, name: "taken", quantity: 1) }
            let error = await #expect(throws: PlatformError.self) {
                try await store.transaction { db in
                    try await insertItem(db, name: "sibling", quantity: 1)
                    try await insertItem(db, name: "taken", quantity: 2)
                }
            }
            #expect(error?.code == .storeConflict)
            #expect(try await countItems(store, name: "sibling") == 0)
        }
    }

    // Forty writers at once on a pool of a few connections: timing-bound, so it runs serially with the integration tier.
    @Test("concurrent writers lose no update", .tags(.integration, .timing), arguments: Backend.enabled)
    func concurrentWriters(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, _, _ async throws in
            try await store.transaction { db in
                try await db.insert(into: "conformance_counters").columns("name", "value")
                    .values(SQLBind("hits"), SQLBind(0)).run()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await store.transaction { db in
                            try await db.raw("UPDATE conformance_counters SET value = value + 1 WHERE name = \(bind: "hits")").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let value = try await store.read { db in
                try await db.select().column("value").from("conformance_counters").where("name", .equal, "hits")
                    .first()!.decode(column: "value", as: Int64.self)
            }
            #expect(value == 40)
        }
    }

    @Test("settings upsert, insert-if-absent and survive reopening the store", arguments: Backend.enabled)
    func settingsPersist(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, location, _ async throws in
            let settings = PlatformSettings(store: store)
            try await settings.set("one", for: "k")
            try await settings.set("two", for: "k")
            #expect(try await settings.value(for: "k") == "two")
            #expect(try await settings.setIfAbsent("three", for: "k") == "two")
            let id = try await settings.installationID()
            #expect(try await settings.installationID() == id)
            #expect(ULID(string: id) != nil)

            let reopened = try await SQLStore.open(location, logger: testLogger)
            defer { Task { await reopened.shutdown() } }
            try await Migrator(store: reopened, sets: ConformanceSchema.all).migrate()
            #expect(try await PlatformSettings(store: reopened).installationID() == id)
            #expect(try await PlatformSettings(store: reopened).value(for: "k") == "two")
        }
    }

    @Test("the backend reports itself and answers a ping", .tags(.integration, .timing), arguments: Backend.enabled)
    func pingAndBackend(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, _, _ async throws in
            #expect(store.backend.rawValue == backend.rawValue)
            let elapsed = try await store.ping()
            #expect(elapsed < .seconds(15))
        }
    }
}

import Foundation
import IAMService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// `key.expiring` (issue 18 point 10): a scheduled scan on the injected clock writes one
/// notice per key per window (7 days, 1 day), deduplicated across scans.
@Suite("API key expiry notices")
struct KeyExpiryScannerTests {
    static let day: UInt64 = 86_400_000
    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)

    /// A SQLite store with the `iam` and `outbox` modules and a principal `P1` of project `PR`.
    static func withStore(_ body: (SQLStore, ManualClock) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let store = try await SQLStore.open(.sqlite(path: directory.appending("platform.db").path), logger: quietLogger)
            do {
                try await Migrator(store: store, sets: [IAMSchema.migrations, OutboxSchema.migrations], logger: quietLogger).migrate()
                try await store.transaction { db in
                    try await db.raw("""
                        INSERT INTO iam_principals (id, tenant_id, kind, name, created_at)
                        VALUES ('P1', 'T1', 'service-account', 'ci', '2027-01-01T00:00:00.000Z')
                        """).run()
                }
                try await body(store, ManualClock(start: start))
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
        }
    }

    /// Inserts a key created `createdAgo` ms before ``start`` that expires `expiresIn` ms after it.
    static func insertKey(_ id: String, createdAgo: UInt64 = 30 * day, expiresIn: UInt64, revoked: Bool = false,
                          in store: SQLStore) async throws {
        let created = Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch - createdAgo).rfc3339
        let expires = Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + expiresIn).rfc3339
        try await store.transaction { db in
            try await db.raw("""
                INSERT INTO iam_api_keys (id, principal_id, tenant_id, project_id, scopes, secret_hash, created_at, expires_at,
                                          revoked_at, registry_version)
                VALUES (\(bind: id), 'P1', 'T1', 'PR', '[]', 'h', \(bind: created), \(bind: expires),
                        \(bind: revoked ? created : nil), 1)
                """).run()
        }
    }

    static func notices(_ store: SQLStore) async throws -> [String: NotificationEvent] {
        try await store.read { db in
            try await db.raw("SELECT dedupe_key, payload FROM outbox_intents").all()
        }.reduce(into: [:]) { result, row in
            result[try row.decode(column: "dedupe_key", as: String.self)] = try JSONDecoder().decode(
                NotificationEvent.self, from: Data(try row.decode(column: "payload", as: String.self).utf8))
        }
    }

    @Test("keys entering the 7-day and 1-day windows get one notice each, with key and expiry; re-scans add nothing")
    func windowsAndDedupe() async throws {
        try await Self.withStore { store, clock in
            try await Self.insertKey("KSOON", expiresIn: 6 * Self.day, in: store)
            try await Self.insertKey("KFAR", expiresIn: 20 * Self.day, in: store)
            try await Self.insertKey("KREVOKED", expiresIn: 2 * Self.day, revoked: true, in: store)
            try await Self.insertKey("KSHORT", createdAgo: 60_000, expiresIn: 3_600_000, in: store)
            let scanner = KeyExpiryScanner(store: store, clock: clock, logger: quietLogger)

            #expect(try await scanner.scan() == 1)
            #expect(try await scanner.scan() == 0, "a re-scan writes nothing new")
            var notices = try await Self.notices(store)
            #expect(Set(notices.keys) == ["key.expiring/KSOON/7d"])
            let notice = try #require(notices["key.expiring/KSOON/7d"])
            #expect(notice.template == "key.expiring")
            #expect(notice.recipients == ["P1"] && notice.project == "PR" && notice.tenant == "T1")
            #expect(notice.variables == ["key": "KSOON",
                                         "expires_at": Timestamp(millisecondsSinceEpoch: Self.start.millisecondsSinceEpoch + 6 * Self.day).rfc3339])

            await clock.advance(by: .seconds(5 * 86_400 + 3_600))
            #expect(try await scanner.scan() == 1)
            #expect(try await scanner.scan() == 0)
            notices = try await Self.notices(store)
            #expect(Set(notices.keys) == ["key.expiring/KSOON/7d", "key.expiring/KSOON/1d"])

            // KSOON has expired (nothing more for it); KFAR is now 5 days out.
            await clock.advance(by: .seconds(10 * 86_400))
            #expect(try await scanner.scan() == 1)
            #expect(Set(try await Self.notices(store).keys) == ["key.expiring/KSOON/7d", "key.expiring/KSOON/1d", "key.expiring/KFAR/7d"])
        }
    }

    @Test("a key first seen inside the 1-day window gets the 1-day notice only")
    func lateScanWritesNarrowestWindow() async throws {
        try await Self.withStore { store, clock in
            try await Self.insertKey("KLATE", expiresIn: 12 * 3_600_000, in: store)
            #expect(try await KeyExpiryScanner(store: store, clock: clock, logger: quietLogger).scan() == 1)
            #expect(Set(try await Self.notices(store).keys) == ["key.expiring/KLATE/1d"])
        }
    }

    @Test("the service scans at start and again every interval of the injected clock")
    func serviceScansOnTheClock() async throws {
        try await Self.withStore { store, clock in
            let scanner = KeyExpiryScanner(store: store, clock: clock, interval: .seconds(3600), logger: quietLogger)
            try await Self.insertKey("KFIRST", expiresIn: 6 * Self.day, in: store)
            let running = Task { try await scanner.run() }
            defer { running.cancel() }
            try await Self.waitFor { try await Self.notices(store)["key.expiring/KFIRST/7d"] != nil }
            try await Self.insertKey("KLATER", expiresIn: 6 * Self.day, in: store)
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await Self.notices(store)["key.expiring/KLATER/7d"] == nil, "no scan before the interval passes")
            await clock.advance(by: .seconds(3600))
            try await Self.waitFor { try await Self.notices(store)["key.expiring/KLATER/7d"] != nil }
        }
    }

    static func waitFor(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<200 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met within 4 s")
    }
}

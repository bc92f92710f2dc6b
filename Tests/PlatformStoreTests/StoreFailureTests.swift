import Foundation
import Logging
import PlatformContracts
import PlatformStore
import PlatformTestKit
import Testing

@Suite("Store failures and locations")
struct StoreFailureTests {
    @Test("an unreachable PostgreSQL is store.unavailable and the password never shows")
    func unreachablePostgres() async throws {
        let port = freeLocalPort()  // nothing listens there
        let store = try await SQLStore.open(
            try DatabaseLocation(url: "postgres://platform:s3cret@127.0.0.1:\(port)/platform"), logger: testLogger)
        defer { Task { await store.shutdown() } }
        let error = await #expect(throws: PlatformError.self) { try await store.ping() }
        #expect(error?.code == .storeUnavailable)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        #expect(error?.message.contains("s3cret") == false)
    }

    @Test("database URLs parse, and unsupported ones are refused", arguments: [
        ("sqlite:/var/lib/p.db", "sqlite:/var/lib/p.db"),
        ("sqlite:///var/lib/p.db", "sqlite:/var/lib/p.db"),
        ("postgres://u:pw@db:5432/platform", "postgres://u:***@db:5432/platform"),
        ("postgresql://db/platform", "postgresql://db/platform"),
    ])
    func parsesLocations(url: String, redacted: String) throws {
        #expect(try DatabaseLocation(url: url).redacted == redacted)
    }

    @Test("unsupported database URLs are store.invalid_url", arguments: ["mysql://db/x", "sqlite:", "postgres:///nohost", "::"])
    func refusesBadLocations(url: String) {
        #expect(throws: PlatformError(.storeInvalidURL)) { try DatabaseLocation(url: url) }
    }

    @Test("migration sets must be numbered 1…n")
    func migrationSetNumbering() {
        let set = MigrationSet(module: "m", migrations: [
            Migration(version: 1, name: "a", statements: []), Migration(version: 2, name: "b", statements: []),
        ])
        #expect(set.latestVersion == 2)
    }
}

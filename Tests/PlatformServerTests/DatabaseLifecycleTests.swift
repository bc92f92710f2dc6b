import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

@Suite("Database lifecycle")
struct DatabaseLifecycleTests {
    @Test("restarting on the same data dir keeps the data")
    func restartKeepsData() async throws {
        try await withTemporaryDirectory { directory async throws in
            let blob = Data("kept across restarts".utf8)
            let first = try await withLiveServer(directory) { client, server async throws in
                // sha256("kept across restarts"), computed independently with Python's hashlib.
                let digest = try ContentDigest(parsing: "sha256:f407d62bdd587c71fc812edbc358f7b5a30e9df67736f2440a3cb42b8d631e42")
                try await server.blobs.put(blob, expecting: digest)
                return try await client.execute(uri: "/version", method: .get) {
                    (try decode(VersionInfo.self, from: $0.body).installationId ?? "", digest)
                }
            }
            let second = try await withLiveServer(directory) { client, server async throws in
                #expect(try await server.blobs.readAll(first.1) == blob)
                return try await client.execute(uri: "/version", method: .get) {
                    try decode(VersionInfo.self, from: $0.body).installationId ?? ""
                }
            }
            #expect(!first.0.isEmpty)
            #expect(first.0 == second)
        }
    }

    @Test("a schema newer than this build makes the server refuse to start")
    func refusesNewerSchema() async throws {
        try await withTemporaryDirectory { directory async throws in
            let path = directory.appending("platform.db").path
            let store = try await SQLStore.open(.sqlite(path: path), logger: quietLogger)
            try await Migrator(store: store, sets: [CoreSchema.migrations]).migrate()
            try await store.transaction { db in
                try await db.insert(into: Migrator.table).columns("module", "version", "name", "applied_at")
                    .values(SQLBind("core"), SQLBind(99), SQLBind("future"), SQLBind(Timestamp.now().rfc3339)).run()
            }
            await store.shutdown()
            let error = await #expect(throws: PlatformError.self) {
                _ = try await PlatformServer.bootstrap(testConfiguration(dataDirectory: directory.path), logger: quietLogger)
            }
            #expect(error?.code == .storeSchemaTooNew)
            #expect(error?.message.contains("core v99") == true)
        }
    }

    @Test("a wrong --database-url: the server starts, /readyz answers 503 and says why")
    func unreachableDatabase() async throws {
        try await withTemporaryDirectory { directory async throws in
            let port = freeLocalPort()
            let url = "postgres://platform:hunter2@127.0.0.1:\(port)/platform"
            try await withLiveServer(directory, databaseURL: url) { client, _ async throws in
                try await client.execute(uri: "/readyz", method: .get) { response async throws in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.contentType] == "application/health+json")
                    let report = try decode(HealthReport.self, from: response.body)
                    #expect(report.status == .fail)
                    let database = try #require(report.checks["database:responseTime"]?.first)
                    #expect(database.status == .fail)
                    let output = database.output ?? ""
                    #expect(output.contains("store.unavailable"))
                    #expect(output.contains("127.0.0.1:\(port)"))
                    #expect(!text(response.body).contains("hunter2"))
                }
                try await client.execute(uri: "/livez", method: .get) { response async throws in
                    #expect(response.status == .ok)
                }
                // IAM fails closed: with the store gone, a well-formed key is neither accepted nor refused as bad.
                let headers: HTTPFields = [.authorization: "Bearer \(APIKeyToken.generate().text)"]
                try await client.execute(uri: "/v1/whoami", method: .get, headers: headers) { response async throws in
                    #expect(response.status == .serviceUnavailable)
                    #expect(text(response.body).contains("store.unavailable"))
                }
            }
        }
    }

    @Test("on PostgreSQL the server is ready and reports the backend", .enabled(if: PostgresServer.isEnabled))
    func postgresBackend() async throws {
        let url = try await PostgresServer.shared.makeDatabase()
        try await withTemporaryDirectory { directory async throws in
            try await withLiveServer(directory, databaseURL: url) { client, _ async throws in
                try await client.execute(uri: "/readyz", method: .get) { response async throws in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: "/version", method: .get) { response async throws in
                    let info = try decode(VersionInfo.self, from: response.body)
                    #expect(info.databaseBackend == "postgres")
                    #expect(info.schema == ["core": 1, "iam": 2, "audit": 2, "apps": 2, "secrets": 2, "artifacts": 2, "instances": 8, "metering": 2, "billing": 1, "connect": 2, "outbox": 1, "policy": 1, "notification": 1, "evidence": 1, "status": 1, "volumes": 1])
                }
            }
        }
    }

    @Test("a PostgreSQL database that appears later is migrated and the server becomes ready", .enabled(if: PostgresServer.isEnabled),
          .tags(.integration, .timing))
    func recoversWhenDatabaseAppears() async throws {
        let base = try await PostgresServer.shared.baseURL()
        let name = "late_\(ULID().description.lowercased())"
        try await withTemporaryDirectory { directory async throws in
            try await withLiveServer(directory, databaseURL: "\(base)/\(name)") { client, _ async throws in
                try await client.execute(uri: "/readyz", method: .get) { response async throws in
                    #expect(response.status == .serviceUnavailable)
                }
                let admin = try await SQLStore.open(try DatabaseLocation(url: "\(base)/postgres"), maxConnections: 1, logger: quietLogger)
                try await admin.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
                await admin.shutdown()
                var ready = false
                for _ in 0..<40 where !ready {
                    try await Task.sleep(for: .milliseconds(250))
                    ready = try await client.execute(uri: "/readyz", method: .get) { $0.status == .ok }
                }
                #expect(ready)
                try await client.execute(uri: "/version", method: .get) { response async throws in
                    #expect(try decode(VersionInfo.self, from: response.body).schema == ["core": 1, "iam": 2, "audit": 2, "apps": 2, "secrets": 2, "artifacts": 2, "instances": 8, "metering": 2, "billing": 1, "connect": 2, "outbox": 1, "policy": 1, "notification": 1, "evidence": 1, "status": 1, "volumes": 1])
                }
            }
        }
    }
}

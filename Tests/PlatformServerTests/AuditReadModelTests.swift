import AuditService
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import PlatformAPI
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// The audit read model (issue 20): records by actor, target, request id and correlation id,
/// newest first with an opaque cursor, while the oldest-first `after` form keeps working.
@Suite("Audit read model", .tags(.integration))
struct AuditReadModelTests {
    struct Page: Sendable {
        let status: HTTPResponse.Status
        let records: [AuditRecord]
        let next: String?
        let body: Data
    }

    static func page(_ fixture: IAMFixture, _ uri: String) async throws -> Page {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(fixture.adminKey)"
        return try await fixture.client.execute(uri: uri, method: .get, headers: headers, body: nil) { response in
            let body = Data(response.body.readableBytesView)
            let link = response.headers[HTTPField.Name("Link")!]
            // `<path?query>; rel="next"` → the path and query.
            let next = link.flatMap { text -> String? in
                guard let open = text.firstIndex(of: "<"), let close = text.firstIndex(of: ">") else { return nil }
                return String(text[text.index(after: open)..<close])
            }
            return Page(status: response.status, records: (try? JSONDecoder().decode([AuditRecord].self, from: body)) ?? [], next: next,
                        body: body)
        }
    }

    /// Five records by `alice` about one target (one request each), one by `bob` carrying a
    /// correlation id in its details, and one by `alice` under that id as its request.
    static func seed(_ fixture: IAMFixture) async throws {
        let audit = fixture.server.audit
        for index in 0..<5 {
            try await audit.record(AuditEvent(actor: PrincipalID("alice"), action: "apps.instance.launch", target: "instance/A",
                                              outcome: .success, requestID: "req-\(index)"))
        }
        try await audit.record(AuditEvent(actor: PrincipalID("bob"), action: "apps.instance.launch", target: "instance/B",
                                          outcome: .success, requestID: "req-bob", details: ["correlationId": "corr-1"]))
        try await audit.record(AuditEvent(actor: PrincipalID("alice"), action: "apps.instance.launch", target: "instance/C",
                                          outcome: .success, requestID: "corr-1"))
    }

    @Test("newest-first pages by actor follow their cursor to the oldest record without gaps or repeats", arguments: ServerBackend.enabled)
    func actorPagesNewestFirstWithCursor(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            try await Self.seed(fixture)
            var uri: String? = "/v1/audit/records?actor=alice&order=newest&limit=2"
            var seen: [AuditRecord] = []
            var pages = 0
            while let next = uri {
                let page = try await Self.page(fixture, next)
                #expect(page.status == .ok, "\(String(decoding: page.body, as: UTF8.self))")
                seen += page.records
                uri = page.next
                pages += 1
                if pages > 10 { Issue.record("the cursor never ended"); break }
            }
            #expect(seen.count == 6)
            #expect(seen.allSatisfy { $0.actor == "alice" })
            let sequences = seen.map(\.sequence)
            #expect(sequences == sequences.sorted(by: >), "newest first across pages: \(sequences)")
            #expect(Set(sequences).count == sequences.count)
            #expect(seen.first?.target == "instance/C")
            #expect(pages == 4, "three full pages of two, then an empty last one")
        }
    }

    @Test("target, request and correlation filters; the correlation id matches requests and details.correlationId")
    func targetRequestAndCorrelationFilters() async throws {
        try await withIAMServer(.sqlite) { fixture in
            try await Self.seed(fixture)
            let byTarget = try await Self.page(fixture, "/v1/audit/records?target=instance/A&order=newest")
            #expect(byTarget.records.count == 5)
            #expect(byTarget.next == nil, "a page that is not full has no next link")
            let byRequest = try await Self.page(fixture, "/v1/audit/records?request=req-3")
            #expect(byRequest.records.map(\.requestId) == ["req-3"])
            let correlated = try await Self.page(fixture, "/v1/audit/records?correlation=corr-1&order=newest")
            #expect(correlated.records.map(\.target) == ["instance/C", "instance/B"])
        }
    }

    @Test("without order or cursor the list is oldest first and `after` follows the log as before")
    func afterStillFollowsTheLogOldestFirst() async throws {
        try await withIAMServer(.sqlite) { fixture in
            try await Self.seed(fixture)
            let first = try await Self.page(fixture, "/v1/audit/records?limit=3")
            #expect(first.records.map(\.sequence) == [1, 2, 3])
            #expect(first.next == nil, "oldest-first pages carry no cursor")
            let following = try await Self.page(fixture, "/v1/audit/records?after=3&limit=2")
            #expect(following.records.map(\.sequence) == [4, 5])
        }
    }

    @Test("after with newest first, a cursor with order=oldest and a cursor no server wrote are 400")
    func contradictoryOrUnknownPagingIsRefused() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let cursor = AuditCursor(before: 5).text
            for uri in ["/v1/audit/records?after=1&order=newest", "/v1/audit/records?cursor=\(cursor)&order=oldest",
                        "/v1/audit/records?cursor=bm90LWEtY3Vyc29y", "/v1/audit/records?order=sideways"] {
                let page = try await Self.page(fixture, uri)
                #expect(page.status == .badRequest, "\(uri)")
                #expect(String(decoding: page.body, as: UTF8.self).contains("http.parameter_invalid"), "\(uri)")
            }
            let valid = try await Self.page(fixture, "/v1/audit/records?cursor=\(cursor)")
            #expect(valid.status == .ok)
            #expect(valid.records.allSatisfy { $0.sequence < 5 })
            #expect(valid.records.map(\.sequence) == valid.records.map(\.sequence).sorted(by: >))
        }
    }

    @Test("a cursor round-trips through its text and refuses text it did not write")
    func cursorTextRoundTrips() {
        for before in [Int64(1), 42, Int64.max] {
            #expect(AuditCursor(text: AuditCursor(before: before).text) == AuditCursor(before: before))
        }
        #expect(AuditCursor(text: "") == nil)
        #expect(AuditCursor(text: "12") == nil)
        #expect(AuditCursor(text: String(repeating: "A", count: 200)) == nil)
    }
}

/// Audit schema v2 on a log written before it: the correlation ids already in records'
/// details are copied into the indexed column, so old smoke launches are found too.
@Suite("Audit schema v2 migration")
struct AuditSchemaMigrationTests {
    @Test("records written under v1 with details.correlationId are found by it after v2", arguments: ServerBackend.enabled)
    func existingCorrelationIDsAreBackfilled(backend: ServerBackend) async throws {
        let url = try await backend.databaseURL()
        let logger = Logger(label: "audit-migration") { _ in SwiftLogNoOpLogHandler() }
        try await withTemporaryDirectory { directory async throws in
            let location = try url.map { try DatabaseLocation(url: $0) } ?? .sqlite(path: directory.appending("platform.db").path)
            let store = try await SQLStore.open(location, logger: logger)
            do {
                let v1 = MigrationSet(module: "audit", migrations: [AuditSchema.migrations.migrations[0]])
                _ = try await Migrator(store: store, sets: [v1], logger: logger).migrate()
                try await store.transaction { db in
                    for (seq, details) in [(Int64(1), #"{"correlationId":"corr-old","phase":"ready"}"#), (2, #"{"phase":"ready"}"#)] {
                        try await db.insert(into: "audit_log")
                            .columns("seq", "id", "time", "actor", "action", "target", "outcome", "details", "leaf_hash", "chain_hash")
                            .values(SQLBind(seq), SQLBind("A\(seq)"), SQLBind("2026-01-01T00:00:00.000Z"), SQLBind("platformd"),
                                    SQLBind("apps.instance.stop"), SQLBind("instance/X"), SQLBind("success"), SQLBind(details),
                                    SQLBind("00"), SQLBind("00")).run()
                    }
                }
                _ = try await Migrator(store: store, sets: [AuditSchema.migrations], logger: logger).migrate()
                let rows = try await store.read { db in
                    try await db.select().columns("seq", "correlation_id").from("audit_log").orderBy("seq").all()
                }
                #expect(try rows.map { try $0.decode(column: "correlation_id", as: String?.self) } == ["corr-old", nil])
                await store.shutdown()
            } catch {
                await store.shutdown()
                throw error
            }
        }
    }
}

import AuditService
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PlatformAPI
import PlatformContracts
import PlatformServer
import PlatformTestKit
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

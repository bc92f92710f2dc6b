import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PlatformAPI
import PlatformContracts
import AuditService
import PlatformTestKit
import Testing
@testable import PlatformHTTP
@testable import PlatformServer

/// One page at a time: `GET /v1/projects/P/instances?limit=N[&before=ID]` answers at most N
/// instances, newest first, and a full page's `Link` names the next; the console's instance
/// pages show one page (the render-time bound of issue 23 with a thousand instances).
@Suite("Instance list pages (API and console)")
struct ConsoleInstancePagingTests {
    /// The ids on a page, in order, and its `Link: <…>; rel="next"` target.
    static func page(_ console: ConsoleFixture, _ path: String, key: String) async throws -> (ids: [String], next: String?, status: HTTPResponse.Status) {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(key)"
        return try await console.client.execute(uri: path, method: .get, headers: headers, body: nil) { response in
            let body = Data(response.body.readableBytesView)
            guard response.status == .ok else { return ([], String(decoding: body, as: UTF8.self), response.status) }
            let ids = try JSONDecoder().decode([InstanceRecord].self, from: body).map(\.id)
            let link = response.headers[HTTPField.Name("Link")!]
            let next = link.flatMap { text -> String? in
                guard text.hasSuffix(#">; rel="next""#), text.hasPrefix("<") else { return nil }
                return String(text.dropFirst().dropLast(#">; rel="next""#.count))
            }
            return (ids, next, response.status)
        }
    }

    @Test("limit and before walk 120 instances in pages of 50, 50 and 20 that add up to the whole list, newest first",
          arguments: ServerBackend.enabled)
    func apiPages(backend: ServerBackend) async throws {
        try await withConsole(backend) { console in
            let (tenant, project, _, key) = try await console.member(tenant: "acme", project: "web", account: "dev", role: "developer")
            let written = try await InstanceRowSeed.write(120, project: project.id, tenant: tenant.id, store: console.server.store)
            let base = "/v1/projects/\(project.id)/instances"
            let whole = try await Self.page(console, base, key: key.key)
            #expect(whole.ids == written.reversed(), "the whole list is newest first")
            #expect(whole.next == nil, "no limit, no Link")

            var ids: [String] = []
            var path: String? = base + "?limit=50"
            var sizes: [Int] = []
            while let next = path {
                let page = try await Self.page(console, next, key: key.key)
                #expect(page.status == .ok)
                sizes.append(page.ids.count)
                ids += page.ids
                path = page.next
                if sizes.count > 5 { break }
            }
            #expect(sizes == [50, 50, 20])
            #expect(ids == whole.ids)

            // A cursor names an instance of this project: another project's id or nonsense is refused.
            let (_, other, _, otherKey) = try await console.member(tenant: "acme", project: "ml", account: "dev2", role: "developer")
            let foreign = try await InstanceRowSeed.write(1, project: other.id, tenant: tenant.id, store: console.server.store)
            #expect(try await Self.page(console, base + "?limit=5&before=\(foreign[0])", key: key.key).status == .badRequest)
            #expect(try await Self.page(console, base + "?before=not-an-id!", key: key.key).status == .badRequest)
            #expect(try await Self.page(console, base + "?limit=0", key: key.key).status == .badRequest)
            #expect(try await Self.page(console, base + "?state=sideways", key: key.key).status == .badRequest)
            // The seed's phases cycle stopped, succeeded, failed: all ended, none live.
            #expect(try await Self.page(console, base + "?state=live", key: key.key).ids.isEmpty)
            let ended = try await Self.page(console, base + "?state=ended&limit=100", key: key.key)
            #expect(ended.ids == Array(whole.ids.prefix(100)) && ended.next?.contains("state=ended") == true)
            #expect(try await Self.page(console, base + "?limit=1001", key: key.key).status == .badRequest)
            // And paging reaches no further than the list does: the other project's key is refused the project.
            #expect(try await Self.page(console, base + "?limit=5", key: otherKey.key).status == .notFound)
        }
    }

    @Test("the console's project page shows the newest 50 and links to the older ones; the all-projects and operator pages show the newest 50")
    func consolePages() async throws {
        try await withConsole { console in
            let (tenant, project, _, key) = try await console.member(tenant: "acme", project: "web", account: "dev", role: "developer")
            let written = try await InstanceRowSeed.write(75, project: project.id, tenant: tenant.id, store: console.server.store)
            let newestFirst = Array(written.reversed())
            let session = try await console.signIn(key: key.key)
            func rows(_ html: String) -> [String] {
                html.components(separatedBy: "data-instance=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            }

            let first = try await console.get("/console/projects/\(project.id)/instances", session)
            #expect(first.status == .ok)
            #expect(rows(first.body) == Array(newestFirst.prefix(50)))
            let older = "/console/projects/\(project.id)/instances?before=\(newestFirst[49])"
            #expect(first.body.contains("href=\"\(older)\" rel=\"next\""), "\(first.body.suffix(800))")

            let second = try await console.get(older, session)
            #expect(rows(second.body) == Array(newestFirst.dropFirst(50)))
            #expect(!second.body.contains("rel=\"next\""), "a page that is not full is the last")
            #expect(second.body.contains("href=\"/console/projects/\(project.id)/instances\">Newest instances"))

            let all = try await console.get("/console/instances", session)
            #expect(rows(all.body) == Array(newestFirst.prefix(50)))
            #expect(all.body.contains("each project's page lists all of its own"))

            let operatorSession = try await console.signIn(key: console.adminKey)
            let fleet = try await console.get("/console/platform/instances", operatorSession)
            #expect(rows(fleet.body) == Array(newestFirst.prefix(50)))
            #expect(ConsoleFixture.text(of: "instance-count", in: fleet.body)?.hasPrefix("50 instances across every tenant, the newest") == true)

            let bad = try await console.get("/console/projects/\(project.id)/instances?before=nope-", session)
            #expect(bad.status == .badRequest && bad.errorCode == "http.parameter_invalid", "\(bad.summary)")
        }
    }

    @Test("the console's audit page renders at most 100 records even when the URL asks the API's 1,000, and pages on with 100")
    func auditPageIsBounded() async throws {
        try await withConsole { console in
            // 130 records, appended by 8 writers at once: quick enough that the test client's
            // idle keep-alive connection is not closed under the parallel phase's load.
            let audit = console.server.audit
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for index in stride(from: worker, to: 130, by: 8) {
                            try await audit.record(AuditEvent(
                                actor: PrincipalID("seed-pager"), action: "iam.key.create", target: "seed/\(index)",
                                outcome: .success, requestID: "seed-\(index)", details: [:]))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let session = try await console.signIn(key: console.adminKey)
            let page = try await console.get("/console/admin/audit?actor=seed-pager&limit=1000", session)
            #expect(page.status == .ok)
            #expect(page.body.components(separatedBy: "<tr class=\"audit-record\"").count - 1 == AdminAuditPage.maxPageSize)
            let next = try #require(page.body.components(separatedBy: "href=\"/console/admin/audit?").dropFirst().first { $0.contains("after=") })
            #expect(!next.contains("limit="), "the next page keeps the bounded (default) size: \(next.prefix(120))")
            #expect(page.body.contains("max=\"100\""))
            let second = try await console.get("/console/admin/audit?" + String(next.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&"), session)
            #expect(second.body.components(separatedBy: "<tr class=\"audit-record\"").count - 1 == 30)
        }
    }
}

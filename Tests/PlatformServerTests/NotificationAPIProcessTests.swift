import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOHTTP1
import NIOCore
import PlatformAPI
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import Testing

/// The notification endpoints of a live platformd: the caller's own feed and its SSE
/// stream, project webhook endpoints, preferences, and dead letters, with IAM's reach.
@Suite("Notification API over HTTP", .tags(.integration))
struct NotificationAPIProcessTests {
    static let failed = ["app": "trainer", "instance": "01J0000000000000000000INST", "reason": "exit 137"]

    /// Writes a notification event to the server's outbox, as a module does in its own transaction.
    static func notify(_ fixture: IAMFixture, template: String = "instance.failed", project: Project, recipients: [String],
                       variables: [String: String] = failed) async throws -> String {
        let event = NotificationEvent(template: template, project: project.id, tenant: project.tenantId, recipients: recipients,
                                      variables: variables, occurredAt: Timestamp.now())
        let id = try await fixture.server.store.transaction { db in try await OutboxWriter().notify(event, in: db) }
        return try #require(id).description
    }

    /// The caller's feed once it holds `count` items (the dispatcher fans out in the background).
    static func feed(_ fixture: IAMFixture, key: String, query: String = "", count: Int) async throws -> [NotificationFeedItem] {
        var items: [NotificationFeedItem] = []
        for _ in 0..<100 {
            items = try await fixture.ok(.get, "/v1/notifications\(query)", key: key, as: [NotificationFeedItem].self)
            if items.count >= count { return items }
            try await Task.sleep(for: .milliseconds(100))
        }
        return items
    }

    @Test("a webhook's whsec_ secret is answered once at creation; the list never shows it", arguments: ServerBackend.enabled)
    func webhookSecretIsShownOnlyAtCreation(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, project, _, key) = try await fixture.makeProject(tenant: "acme", project: "ml", account: "ops")
            let reply = try await fixture.call(.post, "/v1/projects/\(project.id)/webhooks", key: key.key,
                                               body: ["url": "http://127.0.0.1:9/hook", "templates": ["instance.failed"]])
            #expect(reply.status == .created, "\(String(decoding: reply.body, as: UTF8.self))")
            let created = try reply.json(CreatedWebhookEndpoint.self)
            #expect(created.secret.hasPrefix("whsec_"))
            #expect(created.endpoint.project == project.id && created.endpoint.templates == ["instance.failed"])

            let listed = try await fixture.call(.get, "/v1/projects/\(project.id)/webhooks", key: key.key)
            #expect(try listed.json([WebhookEndpoint].self).map(\.id) == [created.endpoint.id])
            let text = String(decoding: listed.body, as: UTF8.self)
            #expect(!text.contains(created.secret) && !text.contains("whsec_") && !text.contains("secret"))

            let bad = try await fixture.call(.post, "/v1/projects/\(project.id)/webhooks", key: key.key, body: ["url": "ftp://example.test/"])
            #expect(bad.status == .badRequest && bad.errorCode == "notification.target_invalid")

            #expect(try await fixture.call(.delete, "/v1/projects/\(project.id)/webhooks/\(created.endpoint.id)", key: key.key).status == .noContent)
            #expect(try await fixture.ok(.get, "/v1/projects/\(project.id)/webhooks", key: key.key, as: [WebhookEndpoint].self).isEmpty)
            let again = try await fixture.call(.delete, "/v1/projects/\(project.id)/webhooks/\(created.endpoint.id)", key: key.key)
            #expect(again.status == .notFound && again.errorCode == "notification.not_found")
        }
    }

    @Test("another project's member cannot list or delete a project's webhooks; a developer lacks the scope", arguments: ServerBackend.enabled)
    func webhooksAreOutOfReachOfOtherProjects(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, projectA, _, keyA) = try await fixture.makeProject(tenant: "acme", project: "a", account: "a-admin")
            let (_, _, _, keyB) = try await fixture.makeProject(tenant: "acme", project: "b", account: "b-admin")
            let (_, _, _, keyC) = try await fixture.makeProject(tenant: "other", project: "c", account: "c-admin")
            let hook = try await fixture.ok(.post, "/v1/projects/\(projectA.id)/webhooks", key: keyA.key,
                                            body: ["url": "https://hooks.example.test/a"], as: CreatedWebhookEndpoint.self)
            for key in [keyB.key, keyC.key] {
                let list = try await fixture.call(.get, "/v1/projects/\(projectA.id)/webhooks", key: key)
                #expect(list.status == .notFound && list.errorCode == "iam.not_found")
                #expect(!String(decoding: list.body, as: UTF8.self).contains(hook.endpoint.id))
                let delete = try await fixture.call(.delete, "/v1/projects/\(projectA.id)/webhooks/\(hook.endpoint.id)", key: key)
                #expect(delete.status == .notFound)
                let create = try await fixture.call(.post, "/v1/projects/\(projectA.id)/webhooks", key: key, body: ["url": "https://evil.test/"])
                #expect(create.status == .notFound)
            }
            // A key of project A without the webhook scope: 403, whatever the resource.
            let developer = try await fixture.ok(
                .post, "/v1/keys", key: fixture.adminKey,
                body: ["serviceAccount": try await fixture.ok(.post, "/v1/projects/\(projectA.id)/serviceaccounts", key: fixture.adminKey,
                                                              body: ["name": "dev", "role": "developer"], as: ServiceAccount.self).id,
                       "scopes": ["notifications:feed:read"], "expiresInSeconds": 3600],
                as: IssuedKey.self)
            let denied = try await fixture.call(.delete, "/v1/projects/\(projectA.id)/webhooks/\(hook.endpoint.id)", key: developer.key)
            #expect(denied.status == .forbidden && denied.errorCode == "iam.forbidden")
            #expect(try await fixture.ok(.get, "/v1/projects/\(projectA.id)/webhooks", key: keyA.key, as: [WebhookEndpoint].self).count == 1)
        }
    }

    @Test("preferences are the caller's own and refuse muting a security template with 409", arguments: ServerBackend.enabled)
    func preferencesRefuseMutingASecurityTemplate(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, project, _, key) = try await fixture.makeProject(tenant: "acme", project: "ml", account: "ops")
            let path = "/v1/projects/\(project.id)/notification-preferences"
            #expect(try await fixture.ok(.get, path, key: key.key, as: NotificationPreferenceSettings.self) == NotificationPreferenceSettings())
            let locked = try await fixture.call(.put, path, key: key.key, body: ["muted": ["key.expiring"]])
            #expect(locked.status == .conflict && locked.errorCode == "notification.preference_locked")
            let saved = try await fixture.ok(.put, path, key: key.key, body: ["muted": ["instance.ready"], "email": "ops@example.test"],
                                             as: NotificationPreferenceSettings.self)
            #expect(saved.muted == ["instance.ready"] && saved.email == "ops@example.test")
            #expect(try await fixture.ok(.get, path, key: key.key, as: NotificationPreferenceSettings.self) == saved)
            // Someone else's preferences in the same project are their own defaults.
            #expect(try await fixture.ok(.get, path, key: fixture.adminKey, as: NotificationPreferenceSettings.self) == NotificationPreferenceSettings())
        }
    }

    @Test("dead letters need the platform admin scope; retrying an unknown event id is 404", arguments: ServerBackend.enabled)
    func deadLetterRetryOfAnUnknownIDIsNotFound(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, _, key) = try await fixture.makeProject(tenant: "acme", project: "ml", account: "ops")
            let unknown = ULID().description
            let retry = try await fixture.call(.post, "/v1/notifications/dead-letters/\(unknown)/retry", key: fixture.adminKey)
            #expect(retry.status == .notFound && retry.errorCode == "notification.not_found", "\(String(decoding: retry.body, as: UTF8.self))")
            #expect(try await fixture.ok(.get, "/v1/notifications/dead-letters", key: fixture.adminKey, as: [DeadLetterIntent].self).isEmpty)
            #expect(try await fixture.call(.get, "/v1/notifications/dead-letters", key: key.key).status == .forbidden)
            #expect(try await fixture.call(.post, "/v1/notifications/dead-letters/\(unknown)/retry", key: key.key).status == .forbidden)
            let malformed = try await fixture.call(.get, "/v1/notifications/dead-letters?limit=0", key: fixture.adminKey)
            #expect(malformed.status == .badRequest)
        }
    }

    @Test("the feed answers only the caller's own items, and a foreign project filter is 404", arguments: ServerBackend.enabled)
    func feedReturnsOnlyTheCallersItems(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, projectA, accountA, keyA) = try await fixture.makeProject(tenant: "acme", project: "a", account: "a-admin")
            let (_, projectB, accountB, keyB) = try await fixture.makeProject(tenant: "acme", project: "b", account: "b-admin")
            let toA = try await Self.notify(fixture, project: projectA, recipients: [accountA.id])
            let toB = try await Self.notify(fixture, project: projectB, recipients: [accountB.id])
            let feedA = try await Self.feed(fixture, key: keyA.key, count: 1)
            #expect(feedA.map(\.eventId) == [toA])
            #expect(feedA.first?.subject == "Your app trainer failed: exit 137" && feedA.first?.project == projectA.id)
            #expect(try await Self.feed(fixture, key: keyB.key, count: 1).map(\.eventId) == [toB])
            #expect(try await fixture.ok(.get, "/v1/notifications?after=\(toA)", key: keyA.key, as: [NotificationFeedItem].self).isEmpty)
            #expect(try await fixture.ok(.get, "/v1/notifications?project=\(projectA.id)", key: keyA.key, as: [NotificationFeedItem].self).count == 1)
            let foreign = try await fixture.call(.get, "/v1/notifications?project=\(projectB.id)", key: keyA.key)
            #expect(foreign.status == .notFound && !String(decoding: foreign.body, as: UTF8.self).contains(toB))
            let badCursor = try await fixture.call(.get, "/v1/notifications?after=nope", key: keyA.key)
            #expect(badCursor.status == .badRequest && badCursor.errorCode == "http.parameter_invalid")
            // The admin was no recipient: its feed is empty.
            #expect(try await fixture.ok(.get, "/v1/notifications", key: fixture.adminKey, as: [NotificationFeedItem].self).isEmpty)
        }
    }

    @Test("the SSE stream replays after Last-Event-ID and delivers an item written after connecting", arguments: ServerBackend.enabled)
    func streamDeliversAnItemWrittenAfterConnecting(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, project, account, key) = try await fixture.makeProject(tenant: "acme", project: "ml", account: "ops")
            _ = try await Self.notify(fixture, project: project, recipients: [account.id])
            _ = try await Self.notify(fixture, project: project, recipients: [account.id])
            // Feed order is the order the fan-outs committed, which two concurrent deliveries
            // may swap: "earlier" and "seen" are whatever the feed says they are.
            let replay = try await Self.feed(fixture, key: key.key, count: 2)
            try #require(replay.count == 2)
            let (earlier, seen) = (replay[0].eventId, replay[1].eventId)

            let port = try #require(fixture.client.port)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/notifications/stream")
            request.headers.add(name: "Authorization", value: "Bearer \(key.key)")
            request.headers.add(name: "Accept", value: "text/event-stream")
            request.headers.add(name: "Last-Event-ID", value: earlier)
            // A client of its own, shut down below: closing its connection ends the stream.
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let response = try await http.execute(request, timeout: .seconds(30))
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type") == "text/event-stream")
            // Read the stream in a task the test can stop: a missing item fails the test after a
            // minute instead of waiting on keep-alives forever.
            let reading = Task { () async throws -> (text: String, later: String?) in
                var text = "", later: String?
                for try await buffer in response.body {
                    text += String(buffer: buffer)
                    if later == nil, text.contains("id: \(seen)\n") {
                        later = try await Self.notify(fixture, project: project, recipients: [account.id],
                                                      variables: ["app": "web", "instance": "01J0000000000000000000INS2", "reason": "oom"])
                    }
                    if let later, text.contains("id: \(later)\n") { break }
                }
                return (text, later)
            }
            let watchdog = Task { try await Task.sleep(for: .seconds(60)); reading.cancel() }
            let outcome = await reading.result
            watchdog.cancel()
            // Closing the connection ends the server's stream (it checks between reads).
            try await http.shutdown()
            let (text, written) = try outcome.get()
            #expect(!text.contains("id: \(earlier)\n"), "replayed what Last-Event-ID had seen: \(text)")
            #expect(text.contains("event: notification\n"))
            let later = try #require(written, "the stream never sent \(seen): \(text)")
            let frame = try #require(text.components(separatedBy: "id: \(later)\n").last)
            let data = try #require(frame.split(separator: "\n").first { $0.hasPrefix("data: ") }).dropFirst("data: ".count)
            let item = try JSONDecoder().decode(NotificationFeedItem.self, from: Data(data.utf8))
            #expect(item.eventId == later && item.subject == "Your app web failed: oom")
        }
    }
}

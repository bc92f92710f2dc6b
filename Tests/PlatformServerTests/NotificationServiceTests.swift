import Foundation
import NotificationService
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// The notification service over a real store (SQLite and PostgreSQL): fan-out, preferences,
/// webhook endpoints, the webhook consumer against an in-process receiver, dead letters and
/// the outbox readiness check. Receivers from scripts/ are in NotificationDeliveryProcessTests.
@Suite("Notification service")
struct NotificationServiceTests {
    typealias Fixture = NotificationFixture
    static let alice = PrincipalID("01JALICE000000000000000000")
    static let bob = PrincipalID("01JBOB00000000000000000000")
    static let smtp = SMTPSettings(host: "127.0.0.1", port: 2525, from: "platform@example.test")

    @Test("fan-out writes feed rows and child intents once when the same intent is delivered twice", arguments: ServerBackend.enabled)
    func fanOutWritesFeedRowsOnceWhenTheSameIntentIsDeliveredTwice(backend: ServerBackend) async throws {
        try await withNotificationStore(backend) { fixture in
            let service = fixture.service(smtp: Self.smtp)
            let hook = try await service.addWebhook(project: Fixture.project, url: "http://127.0.0.1:9/hook", templates: [],
                                                    by: Self.alice, requestID: nil)
            _ = try await service.setPreferences(.init(email: "alice@example.test"), principal: Self.alice,
                                                 project: Fixture.project, requestID: nil)
            let id = try await fixture.notify("instance.failed", recipients: [Self.alice.rawValue, Self.bob.rawValue, Self.alice.rawValue],
                                              variables: Fixture.instanceFailed)
            let claim = try await fixture.dispatcher([:]).claimDue(limit: 10)
            let intent = try #require(claim.intents.first { $0.id == id })

            let first = try await service.fanOut.fanOut(intent)
            #expect(!first.duplicate && first.feed == [Self.alice.rawValue, Self.bob.rawValue])
            #expect(first.webhooks == [hook.endpoint.id] && first.emails == [Self.alice.rawValue])
            let again = try await service.fanOut.fanOut(intent)
            #expect(again.duplicate && again.feed.isEmpty && again.webhooks.isEmpty)

            #expect(try await fixture.count("notification_feed") == 2)
            let webhooks = try await fixture.intents(NotificationTopics.webhook)
            let emails = try await fixture.intents(NotificationTopics.email)
            #expect(webhooks.count == 1 && emails.count == 1)
            let payload = try JSONDecoder().decode(WebhookIntent.self, from: Data(try #require(webhooks.first).payload.utf8))
            #expect(payload.messageId == "\(id)/webhook/\(hook.endpoint.id)")
            let body = try #require(JSONSerialization.jsonObject(with: Data(payload.body.utf8)) as? [String: Any])
            #expect(body["type"] as? String == "instance.failed")
            #expect((body["data"] as? [String: Any])?["subject"] as? String == "Your app trainer failed: exit 137")
            #expect(body["timestamp"] as? String == fixture.clock.now().rfc3339)

            let feed = try await service.feed(principal: Self.alice, project: nil, after: nil, limit: 10)
            #expect(feed.map(\.eventId) == [id.description])
            #expect(feed.first?.subject == "Your app trainer failed: exit 137" && feed.first?.severity == "critical")
            #expect(try await service.feed(principal: Self.alice, project: nil, after: id.description, limit: 10).isEmpty)
            #expect(try await service.feed(principal: Self.alice, project: "other", after: nil, limit: 10).isEmpty)
        }
    }

    @Test("an older event fanned out after a newer one still comes after the newer one's cursor in the feed",
          arguments: ServerBackend.enabled)
    func feedCursorFollowsCommitOrderNotEventIDOrder(backend: ServerBackend) async throws {
        try await withNotificationStore(backend) { fixture in
            let service = fixture.service()
            let ids = [try await fixture.notify("instance.failed", recipients: [Self.alice.rawValue], variables: Fixture.instanceFailed),
                       try await fixture.notify("instance.failed", recipients: [Self.alice.rawValue], variables: Fixture.instanceFailed)]
                .sorted { $0.description < $1.description }
            let (older, newer) = (ids[0], ids[1])
            let intents = try await fixture.dispatcher([:]).claimDue(limit: 10).intents
            // Concurrent deliveries (or a retry) commit the newer event's fan-out first.
            _ = try await service.fanOut.fanOut(try #require(intents.first { $0.id == newer }))
            let seen = try await service.feed(principal: Self.alice, project: nil, after: nil, limit: 10)
            #expect(seen.map(\.eventId) == [newer.description])
            _ = try await service.fanOut.fanOut(try #require(intents.first { $0.id == older }))
            // A reader whose cursor is the newer event must still get the older one.
            let next = try await service.feed(principal: Self.alice, project: nil, after: newer.description, limit: 10)
            #expect(next.map(\.eventId) == [older.description])
            #expect(try await service.feed(principal: Self.alice, project: nil, after: older.description, limit: 10).isEmpty)
        }
    }

    @Test("a muted non-critical template is skipped; a security notice arrives even if muted", arguments: ServerBackend.enabled)
    func mutedNonCriticalTemplateIsSkippedButSecurityNoticeIsDelivered(backend: ServerBackend) async throws {
        try await withNotificationStore(backend) { fixture in
            let service = fixture.service()
            _ = try await service.setPreferences(.init(muted: ["instance.failed"]), principal: Self.alice,
                                                 project: Fixture.project, requestID: nil)
            // A row muting a security notice (written around the API, which refuses it).
            try await fixture.store.transaction { db in
                try await db.raw("""
                    UPDATE notification_preferences SET muted = '["instance.failed","key.expiring"]'
                    WHERE principal_id = \(bind: Self.alice.rawValue)
                    """).run()
            }
            try await fixture.notify("instance.failed", recipients: [Self.alice.rawValue, Self.bob.rawValue], variables: Fixture.instanceFailed)
            try await fixture.notify("key.expiring", recipients: [Self.alice.rawValue], variables: Fixture.keyExpiring)
            let dispatcher = fixture.dispatcher(service.consumers())
            #expect(try await dispatcher.dispatchDue() == 2)

            #expect(try await service.feed(principal: Self.alice, project: nil, after: nil, limit: 10).map(\.template) == ["key.expiring"])
            #expect(try await service.feed(principal: Self.bob, project: nil, after: nil, limit: 10).map(\.template) == ["instance.failed"])
        }
    }

    @Test("preferences refuse muting security and billing notices, unknown templates and bad addresses", arguments: ServerBackend.enabled)
    func preferencesRefuseMutingSecurityAndBillingNotices(backend: ServerBackend) async throws {
        try await withNotificationStore(backend) { fixture in
            let service = fixture.service()
            for locked in ["key.expiring", "quota.threshold"] {
                let error = await #expect(throws: PlatformError.self) {
                    _ = try await service.setPreferences(.init(muted: ["instance.ready", locked]), principal: Self.alice,
                                                         project: Fixture.project, requestID: nil)
                }
                #expect(error?.code == .notificationPreferenceLocked, "\(locked)")
            }
            for bad in [NotificationPreferenceSettings(muted: ["no.such.template"]),
                        NotificationPreferenceSettings(email: "not an address"),
                        NotificationPreferenceSettings(email: "a@b>\r\nRCPT TO:<x@y")] {
                let error = await #expect(throws: PlatformError.self) {
                    _ = try await service.setPreferences(bad, principal: Self.alice, project: Fixture.project, requestID: nil)
                }
                #expect(error?.code == .notificationTargetInvalid)
            }
            #expect(try await service.preferences(principal: Self.alice, project: Fixture.project) == .init())
            let set = try await service.setPreferences(.init(muted: ["instance.ready", "instance.ready"], email: "alice@example.test"),
                                                       principal: Self.alice, project: Fixture.project, requestID: "r-1")
            #expect(set == .init(muted: ["instance.ready"], email: "alice@example.test"))
            #expect(try await service.preferences(principal: Self.alice, project: Fixture.project) == set)
            #expect(fixture.audit.recorded.map(\.action) == ["notification.preferences.set"])
            #expect(fixture.audit.recorded.first?.requestID == "r-1")
        }
    }

    @Test("channels are honoured and without SMTP no email intent is written", arguments: ServerBackend.enabled)
    func channelsAreHonouredAndNoSMTPMeansNoEmail(backend: ServerBackend) async throws {
        try await withNotificationStore(backend) { fixture in
            let off = fixture.service(smtp: nil)
            _ = try await off.addWebhook(project: Fixture.project, url: "https://hooks.example.test/x", templates: [],
                                         by: Self.alice, requestID: nil)
            _ = try await off.setPreferences(.init(email: "alice@example.test"), principal: Self.alice,
                                             project: Fixture.project, requestID: nil)
            try await fixture.notify("instance.ready", recipients: [Self.alice.rawValue],
                                     variables: ["app": "a", "instance": "i", "url": "https://x"])
            #expect(try await fixture.dispatcher(off.consumers()).dispatchDue() == 1)
            #expect(try await fixture.intents(NotificationTopics.email).isEmpty)
            #expect(try await fixture.intents(NotificationTopics.webhook).count == 1)
            #expect(off.consumers()[NotificationTopics.email] == nil)

            // key.expiring goes by email and in-app only: no webhook intent even with an endpoint.
            let on = fixture.service(smtp: Self.smtp)
            try await fixture.notify("key.expiring", recipients: [Self.alice.rawValue], variables: Fixture.keyExpiring)
            let claimed = try await fixture.dispatcher([:]).claimDue(limit: 5).intents
            let keyExpiring = try #require(claimed.first { $0.topic == NotificationEvent.topic })
            #expect(try await on.fanOut.fanOut(keyExpiring).webhooks.isEmpty)
            #expect(try await fixture.intents(NotificationTopics.webhook).count == 1)
            let email = try JSONDecoder().decode(EmailIntent.self, from: Data(try #require(try await fixture.intents(NotificationTopics.email).first).payload.utf8))
            #expect(email.to == "alice@example.test" && email.subject == "API key k-1 expires on 2027-01-20")
        }
    }

    @Test("a template missing a variable dead-letters, never renders a blank; retry puts it back", arguments: ServerBackend.enabled)
    func missingVariableDeadLettersAndRetryPutsItBack(backend: ServerBackend) async throws {
        try await withNotificationStore(backend) { fixture in
            let base = fixture.service()
            let dispatcher = fixture.dispatcher(base.consumers(), backoff: OutboxBackoff(base: .seconds(1), maxAttempts: 2))
            let service = base.retryingDeadLetters { try await dispatcher.retry(deadLetter: $0) }
            let id = try await fixture.notify("instance.failed", recipients: [Self.alice.rawValue], variables: ["app": "a", "instance": "i"])
            #expect(try await dispatcher.dispatchDue() == 1)
            await fixture.clock.advance(by: .seconds(5))
            #expect(try await dispatcher.dispatchDue() == 1)
            #expect(try await fixture.count("notification_feed") == 0)
            let dead = try await service.deadLetters(limit: 10)
            #expect(dead.map(\.eventId) == [id.description] && dead.first?.attempts == 2)
            #expect(dead.first?.lastError?.contains("reason") == true, "\(dead)")

            try await service.retryDeadLetter(id.description, by: Self.alice, requestID: "r-9")
            #expect(try await service.deadLetters(limit: 10).isEmpty)
            #expect(try await fixture.intents(NotificationEvent.topic).first?.state == "pending")
            #expect(fixture.audit.recorded.last?.action == "notification.deadletter.retry")
            let error = await #expect(throws: PlatformError.self) {
                try await service.retryDeadLetter(id.description, by: Self.alice, requestID: nil)
            }
            #expect(error?.code == .notificationNotFound)
        }
    }

    @Test("the webhook consumer signs every retry under the same webhook-id and body", arguments: ServerBackend.enabled)
    func webhookRetriesKeepAStableWebhookID(backend: ServerBackend) async throws {
        try await withNotificationStore(backend) { fixture in
            let receiver = try await CapturingReceiver(statuses: [500, 503])
            defer { receiver.stop() }
            let service = fixture.service()
            let hook = try await service.addWebhook(project: Fixture.project, url: receiver.url, templates: ["instance.failed"],
                                                    by: Self.alice, requestID: nil)
            let id = try await fixture.notify("instance.failed", recipients: [], variables: Fixture.instanceFailed)
            let dispatcher = fixture.dispatcher(service.consumers())
            #expect(try await dispatcher.dispatchDue() == 1)  // fan-out
            for _ in 0..<3 {
                #expect(try await dispatcher.dispatchDue() == 1)
                await fixture.clock.advance(by: .seconds(10))
            }
            let deliveries = receiver.deliveries
            try #require(deliveries.count == 3)
            let secret = try WebhookSecret(hook.secret)
            let now = Int64(fixture.clock.now().millisecondsSinceEpoch / 1000)
            for delivery in deliveries {
                let headers = try #require(delivery.headers)
                #expect(headers.id == "\(id)/webhook/\(hook.endpoint.id)")
                #expect(delivery.body == deliveries[0].body)
                #expect(throws: Never.self) {
                    try StandardWebhookVerifier(secrets: [secret], toleranceSeconds: 60).verify(body: delivery.body, headers: headers, now: now)
                }
            }
            #expect(deliveries[0].headers?.timestamp != deliveries[2].headers?.timestamp)
            #expect(try await fixture.intents(NotificationTopics.webhook).map(\.state) == ["delivered"])
            #expect(try await fixture.intents(NotificationTopics.webhook).first?.attempts == 3)
        }
    }

    @Test("410 Gone disables the endpoint and completes the intent", arguments: ServerBackend.enabled)
    func goneDisablesTheEndpoint(backend: ServerBackend) async throws {
        try await withNotificationStore(backend) { fixture in
            let receiver = try await CapturingReceiver(statuses: [410])
            defer { receiver.stop() }
            let service = fixture.service()
            _ = try await service.addWebhook(project: Fixture.project, url: receiver.url, templates: [], by: Self.alice, requestID: nil)
            try await fixture.notify("instance.failed", recipients: [], variables: Fixture.instanceFailed)
            let dispatcher = fixture.dispatcher(service.consumers())
            #expect(try await dispatcher.dispatchDue() == 1)
            #expect(try await dispatcher.dispatchDue() == 1)
            #expect(try await fixture.intents(NotificationTopics.webhook).map(\.state) == ["delivered"])
            let endpoint = try #require(try await service.webhooks(project: Fixture.project).first)
            #expect(endpoint.disabledAt == fixture.clock.now().rfc3339)

            // A disabled endpoint gets no further intents.
            try await fixture.notify("instance.failed", recipients: [], variables: Fixture.instanceFailed)
            #expect(try await dispatcher.dispatchDue() == 1)
            #expect(try await fixture.intents(NotificationTopics.webhook).count == 1)
            #expect(receiver.deliveries.count == 1)
        }
    }

    @Test("an endpoint removed after fan-out is not called; its intent completes", arguments: ServerBackend.enabled)
    func removedEndpointIsNotCalled(backend: ServerBackend) async throws {
        try await withNotificationStore(backend) { fixture in
            let receiver = try await CapturingReceiver(statuses: [])
            defer { receiver.stop() }
            let service = fixture.service()
            let hook = try await service.addWebhook(project: Fixture.project, url: receiver.url, templates: [], by: Self.alice, requestID: nil)
            try await fixture.notify("instance.failed", recipients: [], variables: Fixture.instanceFailed)
            let dispatcher = fixture.dispatcher(service.consumers())
            #expect(try await dispatcher.dispatchDue() == 1)
            try await service.removeWebhook(hook.endpoint.id, project: Fixture.project, by: Self.alice, requestID: nil)
            #expect(try await dispatcher.dispatchDue() == 1)
            #expect(try await fixture.intents(NotificationTopics.webhook).map(\.state) == ["delivered"])
            #expect(receiver.deliveries.isEmpty)
        }
    }

    @Test("webhook endpoints: URL checked, whsec_ secret once, list, remove audited, unknown remove is not found",
          arguments: ServerBackend.enabled)
    func webhookEndpointLifecycle(backend: ServerBackend) async throws {
        try await withNotificationStore(backend) { fixture in
            let service = fixture.service()
            for bad in ["ftp://x/y", "/relative", "http://user:pw@host/x", "not a url"] {
                let error = await #expect(throws: PlatformError.self) {
                    _ = try await service.addWebhook(project: Fixture.project, url: bad, templates: [], by: Self.alice, requestID: nil)
                }
                #expect(error?.code == .notificationTargetInvalid, "\(bad)")
            }
            let unknown = await #expect(throws: PlatformError.self) {
                _ = try await service.addWebhook(project: Fixture.project, url: "https://h.test/", templates: ["nope"], by: Self.alice,
                                                 requestID: nil)
            }
            #expect(unknown?.code == .notificationTargetInvalid)
            let created = try await service.addWebhook(project: Fixture.project, url: "https://h.test/hook",
                                                       templates: ["instance.ready", "instance.failed"], by: Self.alice, requestID: "r-1")
            #expect(created.secret.hasPrefix("whsec_"))
            #expect(try WebhookSecret(created.secret).key.count == 32)
            #expect(created.endpoint.templates == ["instance.failed", "instance.ready"])
            #expect(try await service.webhooks(project: Fixture.project) == [created.endpoint])
            try await service.removeWebhook(created.endpoint.id, project: Fixture.project, by: Self.alice, requestID: "r-2")
            #expect(try await service.webhooks(project: Fixture.project).isEmpty)
            let gone = await #expect(throws: PlatformError.self) {
                try await service.removeWebhook(created.endpoint.id, project: Fixture.project, by: Self.alice, requestID: nil)
            }
            #expect(gone?.code == .notificationNotFound)
            #expect(fixture.audit.recorded.map(\.action) == ["notification.webhook.create", "notification.webhook.delete"])
            #expect(fixture.audit.recorded.allSatisfy { !$0.details.values.contains(created.secret) })
        }
    }

    @Test("readiness warns when the oldest pending intent is older than 30 s")
    func readinessWarnsAt31Seconds() async throws {
        try await withNotificationStore(.sqlite) { fixture in
            let dispatcher = fixture.dispatcher([:])
            let check = OutboxHealthCheck(counts: { try await dispatcher.counts() })
            #expect(check.key == "outbox:oldest-pending")
            #expect(await check.check().status == .pass)
            try await fixture.notify("instance.failed", recipients: [], variables: Fixture.instanceFailed)
            await fixture.clock.advance(by: .seconds(30))
            #expect(await check.check().status == .pass)
            await fixture.clock.advance(by: .seconds(1))
            let result = await check.check()
            #expect(result.status == .warn && result.observedValue == 31 && result.observedUnit == "s")
            #expect(result.output?.contains("1 pending") == true, "\(result)")
        }
    }

    @Test("a fan-out that writes feed rows wakes a waiting feed reader")
    func fanOutSignalsWaitingFeedReaders() async throws {
        try await withNotificationStore(.sqlite) { fixture in
            let service = fixture.service()
            let before = service.feedSignal.generation
            let waiter = Task { await service.feedSignal.wait(timeout: .seconds(60)) }
            try await fixture.notify("instance.failed", recipients: [Self.alice.rawValue], variables: Fixture.instanceFailed)
            #expect(try await fixture.dispatcher(service.consumers()).dispatchDue() == 1)
            let started = ContinuousClock.now
            await waiter.value
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(service.feedSignal.generation == before + 1)
        }
    }

    @Test("--smtp and --smtp-from are validated")
    func smtpOptionsAreValidated() throws {
        let ok = try ServerConfiguration.resolve(flags: .init(smtp: "127.0.0.1:2525", smtpFrom: "ops@example.test"), environment: [:])
        #expect(ok.smtp == SMTPSettings(host: "127.0.0.1", port: 2525, from: "ops@example.test"))
        #expect(try ServerConfiguration.resolve(flags: .init(smtp: "[::1]:25"), environment: [:]).smtp?.host == "::1")
        #expect(try ServerConfiguration.resolve(flags: .init(), environment: [:]).smtp == nil)
        for flags in [ServerConfiguration.Overrides(smtp: "mail.example.test"), .init(smtp: "h:0"), .init(smtp: ":25"),
                      .init(smtp: "h:25", smtpFrom: "no-at-sign"), .init(smtpFrom: "ops@example.test")] {
            let error = #expect(throws: PlatformError.self) { _ = try ServerConfiguration.resolve(flags: flags, environment: [:]) }
            #expect(error?.code == .configInvalid)
        }
    }
}

import Foundation
import NotificationService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// The notification consumers against the real receivers: webhooks to the Standard Webhooks
/// reference receiver (scripts/webhooks, which verifies with the PyPI library), email to
/// aiosmtpd (scripts/smtp). Fan-out and child intents go through a real dispatcher.
@Suite("Notification delivery to the reference receivers", .serialized, .tags(.integration))
struct NotificationDeliveryProcessTests {
    typealias Fixture = NotificationFixture
    static let alice = PrincipalID("01JALICE000000000000000000")

    @Test("a notification event reaches the reference webhook receiver signed and verified")
    func eventReachesTheReferenceWebhookReceiver() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withNotificationStore(.sqlite) { fixture in
                // Wall-clock time: the receiver refuses a timestamp more than 5 minutes off.
                let clock = SystemClock()
                let service = fixture.service(clock: clock)
                let placeholder = try await service.addWebhook(project: Fixture.project, url: "http://127.0.0.1:9/x", templates: [],
                                                               by: Self.alice, requestID: nil)
                // The receiver needs the secret first; point the endpoint at it once it listens.
                let secret = try WebhookSecret(placeholder.secret)
                let (receiver, url, record) = try await WebhookDeliveryProcessTests.startReceiver(directory, secret: secret)
                defer { receiver.signal(SIGKILL) }
                try await fixture.store.transaction { db in
                    try await db.raw("UPDATE notification_webhooks SET url = \(bind: url)").run()
                }
                let id = try await fixture.notify("instance.failed", recipients: [Self.alice.rawValue],
                                                  variables: Fixture.instanceFailed, clock: clock)
                let dispatcher = fixture.dispatcher(service.consumers(), clock: clock)
                #expect(try await dispatcher.dispatchDue() == 1)
                #expect(try await dispatcher.dispatchDue() == 1)

                let got = try WebhookDeliveryProcessTests.deliveries(record)
                try #require(got.count == 1, "\(got) \(receiver.output)")
                #expect(got[0]["verified"] as? Bool == true, "\(got[0])")
                #expect(got[0]["id"] as? String == "\(id)/webhook/\(placeholder.endpoint.id)")
                let payload = try #require(got[0]["payload"] as? [String: Any])
                #expect(payload["type"] as? String == "instance.failed")
                #expect((payload["data"] as? [String: Any])?["event_id"] as? String == id.description)
                #expect(try await fixture.intents(NotificationTopics.webhook).map(\.state) == ["delivered"])
            }
        }
    }

    @Test("an email notice reaches the aiosmtpd receiver with the rendered subject and body")
    func emailReachesTheSMTPReceiver() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withNotificationStore(.sqlite) { fixture in
                let (receiver, port) = try await SMTPDeliveryProcessTests.startReceiver(directory)
                defer { receiver.signal(SIGKILL) }
                let service = fixture.service(smtp: SMTPSettings(host: "127.0.0.1", port: port, from: "platform@example.test"))
                _ = try await service.setPreferences(.init(email: "alice@example.test"), principal: Self.alice,
                                                     project: Fixture.project, requestID: nil)
                let id = try await fixture.notify("key.expiring", recipients: [Self.alice.rawValue], variables: Fixture.keyExpiring)
                let dispatcher = fixture.dispatcher(service.consumers())
                #expect(try await dispatcher.dispatchDue() == 1)
                #expect(try await dispatcher.dispatchDue() == 1)
                #expect(try await fixture.intents(NotificationTopics.email).map(\.state) == ["delivered"], "\(receiver.output)")

                let json = try SMTPDeliveryProcessTests.saved(directory, "json")
                try #require(json.count == 1, "\(receiver.output)")
                let parsed = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: json[0])) as? [String: Any])
                #expect(parsed["rcpt_tos"] as? [String] == ["alice@example.test"])
                let headers = try #require(parsed["headers"] as? [String: String])
                #expect(headers["Subject"] == "API key k-1 expires on 2027-01-20")
                #expect(headers["Message-ID"] == "<\(id).0@platformd>")
                #expect((parsed["body"] as? String)?.contains("Create a new key") == true)
            }
        }
    }

    @Test("a relay refusing the recipient with 550 dead-letters the email at once with the reply")
    func refusedRecipientFailsWithTheReply() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withNotificationStore(.sqlite) { fixture in
                let (receiver, port) = try await SMTPDeliveryProcessTests.startReceiver(directory, rcptReply: "550 5.1.1 no such user")
                defer { receiver.signal(SIGKILL) }
                let service = fixture.service(smtp: SMTPSettings(host: "127.0.0.1", port: port, from: "platform@example.test"))
                _ = try await service.setPreferences(.init(email: "nobody@example.test"), principal: Self.alice,
                                                     project: Fixture.project, requestID: nil)
                try await fixture.notify("key.expiring", recipients: [Self.alice.rawValue], variables: Fixture.keyExpiring)
                let dispatcher = fixture.dispatcher(service.consumers(), backoff: OutboxBackoff(base: .seconds(1), maxAttempts: 8))
                #expect(try await dispatcher.dispatchDue() == 1)
                #expect(try await dispatcher.dispatchDue() == 1)
                let dead = try await service.deadLetters(limit: 5)
                #expect(dead.map(\.topic) == [NotificationTopics.email] && dead.first?.attempts == 1)
                #expect(dead.first?.lastError?.contains("550") == true, "\(dead)")
                #expect(try SMTPDeliveryProcessTests.saved(directory, "eml").isEmpty)
            }
        }
    }
}

import Foundation
import Logging
import PlatformContracts
import PlatformStore
import SQLKit

/// The consumer of topic ``NotificationEvent/topic``: renders the event's template and, in one
/// transaction, writes the in-app feed rows and one child intent per webhook endpoint and per
/// email recipient.
///
/// Idempotent by event id: the transaction first claims the event in `notification_fanouts`;
/// a re-delivered event (a crash before the dispatcher recorded the delivery, an expired claim)
/// finds it there and changes nothing, even if preferences or endpoints changed meanwhile.
/// Feed rows (`ON CONFLICT DO NOTHING` on `(event_id, principal_id)`) and child intents (dedupe
/// keys) are each idempotent on their own as well.
///
/// A template that does not render (unknown id, a missing variable) throws, so the intent is
/// retried and then dead-lettered: a notice is never sent with a blank where a value belongs.
public struct NotificationFanOut: OutboxConsumer {
    let store: SQLStore
    let catalog: NotificationTemplateCatalog
    let writer: OutboxWriter
    let clock: any PlatformClock
    let emailEnabled: Bool
    let signal: NotificationFeedSignal
    let logger: Logger

    /// Creates the consumer.
    /// - Parameters:
    ///   - emailEnabled: Whether SMTP is configured; without it no email intents are written.
    ///   - signal: Signalled after each fan-out that wrote feed rows commits.
    public init(store: SQLStore, catalog: NotificationTemplateCatalog, writer: OutboxWriter, clock: any PlatformClock,
                emailEnabled: Bool, signal: NotificationFeedSignal, logger: Logger) {
        self.store = store
        self.catalog = catalog
        self.writer = writer
        self.clock = clock
        self.emailEnabled = emailEnabled
        self.signal = signal
        self.logger = logger
    }

    /// What one fan-out wrote (tests and the log).
    public struct Outcome: Sendable, Equatable {
        /// Whether the event had been fanned out before (then nothing was written).
        public var duplicate: Bool
        /// Principals whose feed got a row.
        public var feed: [String]
        /// Webhook endpoint ids that got an intent.
        public var webhooks: [String]
        /// Principals that got an email intent.
        public var emails: [String]
    }

    public func deliver(_ intent: OutboxIntent) async throws {
        let outcome = try await fanOut(intent)
        if !outcome.feed.isEmpty { signal.signal() }
        logger.debug("notification fanned out", metadata: [
            "event": "\(intent.id)", "duplicate": "\(outcome.duplicate)", "feed": "\(outcome.feed.count)",
            "webhooks": "\(outcome.webhooks.count)", "emails": "\(outcome.emails.count)",
        ])
    }

    /// Renders and fans out one event (see the type's documentation).
    /// - Throws: ``ErrorCode/configInvalid`` for an undecodable payload or unknown template,
    ///   ``ErrorCode/notificationTemplateVariableMissing``, or a store error.
    public func fanOut(_ intent: OutboxIntent) async throws -> Outcome {
        let event: NotificationEvent
        do {
            event = try JSONDecoder().decode(NotificationEvent.self, from: Data(intent.payload.utf8))
        } catch {
            throw PlatformError(.configInvalid, "notification intent \(intent.id) does not decode: \(error)")
        }
        guard let template = catalog.templates[event.template] else {
            throw PlatformError(.configInvalid, "no notification template \(event.template) in the registry")
        }
        let rendered = try catalog.render(event.template, context: event.variables)
        let body = try Self.webhookBody(event, id: intent.id, template: template, rendered: rendered)
        let now = clock.nowMilliseconds()
        let channels = Set(template.channels)
        let backend = store.backend
        return try await store.transaction { db in
            // Fan-outs take the feed's next `seq` one at a time (SQLite has one writer anyway), so
            // seq order is commit order and a feed reader's cursor never skips a late commit.
            if backend == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext('notification.feed'))").run()
            }
            let claimed = try await db.raw("""
                INSERT INTO notification_fanouts (event_id, template, project_id, created_at)
                VALUES (\(bind: intent.id.description), \(bind: event.template), \(bind: event.project), \(bind: now))
                ON CONFLICT DO NOTHING RETURNING event_id
                """).all()
            guard !claimed.isEmpty else { return Outcome(duplicate: true, feed: [], webhooks: [], emails: []) }
            var outcome = Outcome(duplicate: false, feed: [], webhooks: [], emails: [])
            var seen = Set<String>()
            for principal in event.recipients where seen.insert(principal).inserted {
                let preferences = try await NotificationPreferenceRows.read(
                    principal: principal, project: event.project, in: db)
                guard !template.isMutable || !preferences.muted.contains(template.templateId) else { continue }
                if channels.contains(.inApp) {
                    try await db.raw("""
                        INSERT INTO notification_feed
                          (event_id, principal_id, project_id, tenant_id, template, severity, category, subject, body, created_at, seq)
                        SELECT \(bind: intent.id.description), \(bind: principal), \(bind: event.project), \(bind: event.tenant),
                               \(bind: template.templateId), \(bind: template.severity.rawValue), \(bind: template.category),
                               \(bind: rendered.subject), \(bind: rendered.body), \(bind: now), COALESCE(MAX(seq), 0) + 1
                        FROM notification_feed WHERE true
                        ON CONFLICT DO NOTHING
                        """).run()
                    outcome.feed.append(principal)
                }
                if channels.contains(.email), emailEnabled, let address = preferences.email {
                    let email = EmailIntent(
                        principal: principal, to: address, subject: rendered.subject, body: rendered.body,
                        messageId: "<\(intent.id).\(outcome.emails.count)@platformd>")
                    try await writer.enqueue(
                        topic: NotificationTopics.email, payload: email,
                        dedupeKey: NotificationTopics.emailKey(event: intent.id, principal: principal), in: db)
                    outcome.emails.append(principal)
                }
            }
            if channels.contains(.webhook) {
                for endpoint in try await WebhookRows.active(project: event.project, in: db)
                where endpoint.templates.isEmpty || endpoint.templates.contains(template.templateId) {
                    let key = NotificationTopics.webhookKey(event: intent.id, endpoint: endpoint.id)
                    try await writer.enqueue(
                        topic: NotificationTopics.webhook, payload: WebhookIntent(endpoint: endpoint.id, messageId: key, body: body),
                        dedupeKey: key, in: db)
                    outcome.webhooks.append(endpoint.id)
                }
            }
            return outcome
        }
    }

    static func webhookBody(_ event: NotificationEvent, id: ULID, template: NotificationTemplate, rendered: RenderedNotification)
        throws -> String
    {
        let body = WebhookBody(
            type: template.templateId, timestamp: event.occurredAt.rfc3339,
            data: .init(eventId: id.description, template: template.templateId, templateVersion: template.version,
                        severity: template.severity.rawValue, category: template.category, project: event.project,
                        tenant: event.tenant, subject: rendered.subject, body: rendered.body, variables: event.variables))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(body), as: UTF8.self)
    }
}

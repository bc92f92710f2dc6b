import Foundation
import Logging
import PlatformContracts
import PlatformStore
import SQLKit

/// The notification service: the consumers that turn `notification` intents into feed rows,
/// webhooks and email, and the ``NotificationInbox`` the HTTP edge serves (feed, webhook
/// endpoints, preferences, dead letters).
///
/// ```swift
/// let base = NotificationService(store: store, catalog: catalog, audit: audit, smtp: nil, logger: logger)
/// let dispatcher = OutboxDispatcher(store: store, consumers: base.consumers(), logger: logger)
/// let notifications = base.retryingDeadLetters { try await dispatcher.retry(deadLetter: $0) }
/// ```
public struct NotificationService: NotificationInbox {
    let store: SQLStore
    /// The compiled notification-template registry.
    public let catalog: NotificationTemplateCatalog
    let audit: any TransactionalAuditing
    let clock: any PlatformClock
    /// The relay, or `nil` when the email channel is off.
    public let smtp: SMTPSettings?
    /// Signalled after a fan-out writes feed rows; the SSE stream waits on it (see
    /// ``NotificationFeedSignal``).
    public let feedSignal: NotificationFeedSignal
    let deadLetterRetry: @Sendable (ULID) async throws -> Bool
    let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - audit: Records webhook, preference and dead-letter changes in their transaction.
    ///   - smtp: The relay; `nil` turns the email channel off.
    ///   - retryDeadLetter: Puts a dead intent back to pending (``OutboxDispatcher/retry(deadLetter:)``);
    ///     a closure because the dispatcher is built from this service's consumers (see
    ///     ``retryingDeadLetters(with:)``).
    public init(store: SQLStore, catalog: NotificationTemplateCatalog, audit: any TransactionalAuditing,
                clock: any PlatformClock = SystemClock(), smtp: SMTPSettings?, feedSignal: NotificationFeedSignal = NotificationFeedSignal(),
                retryDeadLetter: @escaping @Sendable (ULID) async throws -> Bool = { _ in false }, logger: Logger) {
        self.store = store
        self.catalog = catalog
        self.audit = audit
        self.clock = clock
        self.smtp = smtp
        self.feedSignal = feedSignal
        self.deadLetterRetry = retryDeadLetter
        self.logger = logger
    }

    /// This service retrying dead letters through `retry` (the dispatcher built from this
    /// service's ``consumers(webhookTimeout:)``, so it exists only after them).
    public func retryingDeadLetters(with retry: @escaping @Sendable (ULID) async throws -> Bool) -> NotificationService {
        NotificationService(store: store, catalog: catalog, audit: audit, clock: clock, smtp: smtp, feedSignal: feedSignal,
                            retryDeadLetter: retry, logger: logger)
    }

    /// The fan-out consumer (topic ``NotificationEvent/topic``).
    public var fanOut: NotificationFanOut {
        NotificationFanOut(store: store, catalog: catalog, writer: OutboxWriter(clock: clock), clock: clock,
                           emailEnabled: smtp != nil, signal: feedSignal, logger: logger)
    }

    /// The consumers by topic, for the ``OutboxDispatcher``: fan-out, webhook, and email when
    /// SMTP is configured.
    public func consumers(webhookTimeout: Duration = .seconds(10)) -> [String: any OutboxConsumer] {
        var consumers: [String: any OutboxConsumer] = [
            NotificationEvent.topic: fanOut,
            NotificationTopics.webhook: WebhookConsumer(store: store, clock: clock, timeout: webhookTimeout, logger: logger),
        ]
        if let smtp { consumers[NotificationTopics.email] = EmailConsumer(smtp: smtp, clock: clock) }
        return consumers
    }

    // MARK: Feed

    public func feed(principal: PrincipalID, project: String?, after cursor: String?, limit: Int) async throws
        -> [NotificationFeedItem]
    {
        let limit = Int64(min(max(limit, 1), 500))
        let projectFilter: SQLQueryString = project.map { " AND project_id = \(bind: $0)" } ?? ""
        // The cursor is an event id, but the order is the feed's `seq` (commit order): an older
        // event whose fan-out committed after the cursor's still comes after it. An id this
        // principal never had falls back to the last row at or before it in id order.
        let cursorFilter: SQLQueryString = cursor.map { cursor in
            """
             AND seq > COALESCE(
                (SELECT seq FROM notification_feed WHERE principal_id = \(bind: principal.rawValue) AND event_id = \(bind: cursor)),
                (SELECT MAX(seq) FROM notification_feed WHERE principal_id = \(bind: principal.rawValue) AND event_id <= \(bind: cursor)),
                0)
            """
        } ?? ""
        return try await store.read { db in
            try await db.raw("""
                SELECT event_id, template, severity, category, project_id, subject, body, created_at FROM notification_feed
                WHERE principal_id = \(bind: principal.rawValue)\(projectFilter)\(cursorFilter)
                ORDER BY seq LIMIT \(bind: limit)
                """).all().map { row in
                NotificationFeedItem(
                    eventId: try row.decode(column: "event_id", as: String.self),
                    template: try row.decode(column: "template", as: String.self),
                    severity: try row.decode(column: "severity", as: String.self),
                    category: try row.decode(column: "category", as: String.self),
                    project: try row.decode(column: "project_id", as: String.self),
                    subject: try row.decode(column: "subject", as: String.self),
                    body: try row.decode(column: "body", as: String.self),
                    createdAt: rfc3339(try row.decode(column: "created_at", as: Int64.self)))
            }
        }
    }

    // MARK: Webhooks

    public func addWebhook(project: Project, url: String, templates: [String], by actor: PrincipalID, requestID: String?)
        async throws -> CreatedWebhookEndpoint
    {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = parsed.host, !host.isEmpty, parsed.user == nil, url.count <= 2048 else {
            throw PlatformError(.notificationTargetInvalid, "a webhook URL is an absolute http or https URL without credentials",
                                details: ["url": String(url.prefix(200))])
        }
        try checkKnown(templates)
        let secret = try WebhookSecret.generate()
        let now = clock.nowMilliseconds()
        let endpoint = WebhookEndpoint(
            id: ULID(milliseconds: UInt64(now)).description, project: project.id, url: url, templates: Array(Set(templates)).sorted(),
            createdAt: rfc3339(now), createdBy: actor.rawValue)
        try await store.transaction { db in
            try await db.raw("""
                INSERT INTO notification_webhooks (id, project_id, tenant_id, url, secret, templates, created_at, created_by)
                VALUES (\(bind: endpoint.id), \(bind: project.id), \(bind: project.tenantId), \(bind: url), \(bind: secret.text),
                        \(bind: JSONList.encode(templates)), \(bind: now), \(bind: actor.rawValue))
                """).run()
            try await audit.append(AuditEvent(
                actor: actor, action: "notification.webhook.create", target: "webhook/\(endpoint.id)", outcome: .success,
                requestID: requestID, details: ["url": url, "templates": endpoint.templates.joined(separator: ",")],
                project: project.id), tenant: project.tenantId, in: db)
        }
        return CreatedWebhookEndpoint(endpoint: endpoint, secret: secret.text)
    }

    public func webhooks(project: Project) async throws -> [WebhookEndpoint] {
        try await store.read { db in try await WebhookRows.all(project: project.id, in: db) }
    }

    public func removeWebhook(_ id: String, project: Project, by actor: PrincipalID, requestID: String?) async throws {
        try await store.transaction { db in
            let removed = try await db.raw("""
                DELETE FROM notification_webhooks WHERE id = \(bind: id) AND project_id = \(bind: project.id) RETURNING url
                """).all()
            guard let row = removed.first else {
                throw PlatformError(.notificationNotFound, "no webhook endpoint \(id) in this project")
            }
            try await audit.append(AuditEvent(
                actor: actor, action: "notification.webhook.delete", target: "webhook/\(id)", outcome: .success,
                requestID: requestID, details: ["url": try row.decode(column: "url", as: String.self)], project: project.id),
                tenant: project.tenantId, in: db)
        }
    }

    // MARK: Preferences

    public func preferences(principal: PrincipalID, project: Project) async throws -> NotificationPreferenceSettings {
        try await store.read { db in
            try await NotificationPreferenceRows.read(principal: principal.rawValue, project: project.id, in: db)
        }
    }

    public func setPreferences(_ settings: NotificationPreferenceSettings, principal: PrincipalID, project: Project,
                               requestID: String?) async throws -> NotificationPreferenceSettings
    {
        try checkKnown(settings.muted)
        if let locked = settings.muted.sorted().first(where: { catalog.templates[$0]?.isMutable == false }) {
            throw PlatformError(.notificationPreferenceLocked,
                                "\(locked) is a \(catalog.templates[locked]?.category ?? "security") notice, which cannot be muted",
                                details: ["template": locked])
        }
        var stored = NotificationPreferenceSettings(muted: Array(Set(settings.muted)).sorted(), email: settings.email)
        if let email = settings.email?.trimmingCharacters(in: .whitespaces) {
            guard EmailAddress.isValid(email) else {
                throw PlatformError(.notificationTargetInvalid, "the email address is not one notices can be sent to",
                                    details: ["email": String(email.prefix(254))])
            }
            stored.email = email
        }
        let now = clock.nowMilliseconds()
        try await store.transaction { db in
            try await NotificationPreferenceRows.write(stored, principal: principal.rawValue, project: project.id, now: now, in: db)
            try await audit.append(AuditEvent(
                actor: principal, action: "notification.preferences.set", target: "preferences/\(principal.rawValue)",
                outcome: .success, requestID: requestID,
                details: ["muted": stored.muted.joined(separator: ","), "email": stored.email == nil ? "none" : "set"],
                project: project.id), tenant: project.tenantId, in: db)
        }
        return stored
    }

    /// Refuses template ids the registry does not hold.
    func checkKnown(_ templates: [String]) throws(PlatformError) {
        if let unknown = templates.sorted().first(where: { catalog.templates[$0] == nil }) {
            throw PlatformError(.notificationTargetInvalid, "no notification template \(unknown) in the registry",
                                details: ["template": unknown])
        }
    }

    // MARK: Dead letters

    public func deadLetters(limit: Int) async throws -> [DeadLetterIntent] {
        try await store.read { db in try await OutboxDeadLetters.read(limit: limit, from: db) }
    }

    public func retryDeadLetter(_ eventId: String, by actor: PrincipalID, requestID: String?) async throws {
        guard let id = ULID(string: eventId), try await deadLetterRetry(id) else {
            throw PlatformError(.notificationNotFound, "no dead-lettered intent \(eventId)")
        }
        try await store.transaction { db in
            try await audit.append(AuditEvent(
                actor: actor, action: "notification.deadletter.retry", target: "outbox/\(eventId)", outcome: .success,
                requestID: requestID), tenant: nil, in: db)
        }
    }
}

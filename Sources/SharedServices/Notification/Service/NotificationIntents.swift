import PlatformContracts

/// The outbox topics the fan-out writes, one child intent per delivery, so each endpoint and
/// each mailbox retries, backs off and dead-letters on its own: a receiver that is down never
/// holds back the feed or another receiver.
public enum NotificationTopics {
    /// One webhook delivery (``WebhookIntent``).
    public static let webhook = "notification.webhook"
    /// One email (``EmailIntent``).
    public static let email = "notification.email"

    /// The dedupe key of the webhook intent of `event` for `endpoint`; also its `webhook-id`.
    public static func webhookKey(event: ULID, endpoint: String) -> String { "\(event)/webhook/\(endpoint)" }

    /// The dedupe key of the email intent of `event` for `principal`.
    public static func emailKey(event: ULID, principal: String) -> String { "\(event)/email/\(principal)" }
}

/// One webhook delivery as the fan-out wrote it. The body is fixed here, not at delivery, so
/// every retry sends (and signs) the same bytes under the same `webhook-id`, and the receiver
/// can deduplicate.
public struct WebhookIntent: Sendable, Codable, Equatable {
    /// The endpoint's id in `notification_webhooks` (its URL and secret are read at delivery,
    /// so a removed endpoint is not called).
    public var endpoint: String
    /// The Standard Webhooks `webhook-id`: ``NotificationTopics/webhookKey(event:endpoint:)``.
    public var messageId: String
    /// The JSON body: `{"type", "timestamp", "data"}`.
    public var body: String

    /// Creates the payload.
    public init(endpoint: String, messageId: String, body: String) {
        self.endpoint = endpoint
        self.messageId = messageId
        self.body = body
    }
}

/// One email as the fan-out wrote it (rendered, addressed; the sender comes from the server's
/// SMTP settings at delivery).
public struct EmailIntent: Sendable, Codable, Equatable {
    /// The recipient principal.
    public var principal: String
    /// Its address, from its preferences when the event was fanned out.
    public var to: String
    /// Rendered subject.
    public var subject: String
    /// Rendered body.
    public var body: String
    /// A `Message-ID` stable across retries (`<event.n@platformd>`), so a mailbox can spot a
    /// message the relay accepted twice.
    public var messageId: String

    /// Creates the payload.
    public init(principal: String, to: String, subject: String, body: String, messageId: String) {
        self.principal = principal
        self.to = to
        self.subject = subject
        self.body = body
        self.messageId = messageId
    }
}

/// The JSON body of a webhook delivery, in the Standard Webhooks shape.
struct WebhookBody: Encodable {
    struct Data: Encodable {
        var eventId: String
        var template: String
        var templateVersion: Int
        var severity: String
        var category: String
        var project: String
        var tenant: String
        var subject: String
        var body: String
        var variables: [String: String]

        enum CodingKeys: String, CodingKey {
            case eventId = "event_id", template, templateVersion = "template_version", severity, category, project, tenant,
                 subject, body, variables
        }
    }

    /// The template id (`instance.failed`).
    var type: String
    /// When the change happened (RFC 3339).
    var timestamp: String
    var data: Data
}

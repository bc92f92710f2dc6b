/// A notification event: what happened, to whom it matters, and the template variables.
/// Modules write it to the outbox (topic ``NotificationEvent/topic``) in the same transaction
/// as the state change it announces; the notification service's consumer renders the template
/// and fans it out to the in-app feed, webhooks and email, honouring preferences.
public struct NotificationEvent: Sendable, Codable, Equatable {
    /// The outbox topic every notification event is written under.
    public static let topic = "notification"

    /// A template id from the notification-template registry (`instance.failed`).
    public var template: String
    /// The project it concerns; webhooks of this project receive it.
    public var project: String
    /// The project's tenant.
    public var tenant: String
    /// Principals whose feed (and email, if they gave an address) receive it.
    public var recipients: [String]
    /// Template variables; every variable the template names must be present.
    public var variables: [String: String]
    /// When the change happened.
    public var occurredAt: Timestamp

    /// Creates an event.
    public init(template: String, project: String, tenant: String, recipients: [String], variables: [String: String],
                occurredAt: Timestamp) {
        self.template = template
        self.project = project
        self.tenant = tenant
        self.recipients = recipients
        self.variables = variables
        self.occurredAt = occurredAt
    }
}

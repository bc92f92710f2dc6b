/// One entry of a principal's in-app feed.
public struct NotificationFeedItem: Sendable, Codable, Equatable {
    /// The outbox event id (a ULID): feed order, and the SSE stream's cursor.
    public var eventId: String
    /// The template it was rendered from.
    public var template: String
    /// `info`, `warning` or `critical`.
    public var severity: String
    /// `lifecycle`, `security`, `billing`…
    public var category: String
    /// The project it concerns.
    public var project: String
    /// Rendered subject.
    public var subject: String
    /// Rendered body.
    public var body: String
    /// When it was written to the feed (RFC 3339).
    public var createdAt: String

    /// Creates an item.
    public init(eventId: String, template: String, severity: String, category: String, project: String, subject: String,
                body: String, createdAt: String) {
        self.eventId = eventId
        self.template = template
        self.severity = severity
        self.category = category
        self.project = project
        self.subject = subject
        self.body = body
        self.createdAt = createdAt
    }
}

/// A project's webhook endpoint (its signing secret is shown once, at creation).
public struct WebhookEndpoint: Sendable, Codable, Equatable {
    /// ULID.
    public var id: String
    /// The project whose events it receives.
    public var project: String
    /// An absolute http(s) URL.
    public var url: String
    /// Template ids it receives; empty means every template.
    public var templates: [String]
    /// RFC 3339.
    public var createdAt: String
    /// Who created it.
    public var createdBy: String
    /// When the receiver disabled it (HTTP 410 Gone), RFC 3339.
    public var disabledAt: String?

    /// Creates an endpoint value.
    public init(id: String, project: String, url: String, templates: [String], createdAt: String, createdBy: String,
                disabledAt: String? = nil) {
        self.id = id
        self.project = project
        self.url = url
        self.templates = templates
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.disabledAt = disabledAt
    }
}

/// A new endpoint and its Standard Webhooks secret (`whsec_…`), returned once.
public struct CreatedWebhookEndpoint: Sendable, Codable, Equatable {
    /// The endpoint.
    public var endpoint: WebhookEndpoint
    /// The signing secret; it is never shown again.
    public var secret: String

    /// Creates the value.
    public init(endpoint: WebhookEndpoint, secret: String) {
        self.endpoint = endpoint
        self.secret = secret
    }
}

/// One principal's preferences in one project.
public struct NotificationPreferenceSettings: Sendable, Codable, Equatable {
    /// Template ids muted (never a security or billing one).
    public var muted: [String]
    /// Where email notices go; `nil` sends none.
    public var email: String?

    /// Creates settings.
    public init(muted: [String] = [], email: String? = nil) {
        self.muted = muted
        self.email = email
    }
}

/// An outbox intent that failed its last attempt.
public struct DeadLetterIntent: Sendable, Codable, Equatable {
    /// The event id.
    public var eventId: String
    /// Its topic.
    public var topic: String
    /// Attempts made.
    public var attempts: Int
    /// The last failure.
    public var lastError: String?
    /// When it was written (RFC 3339).
    public var createdAt: String

    /// Creates the value.
    public init(eventId: String, topic: String, attempts: Int, lastError: String?, createdAt: String) {
        self.eventId = eventId
        self.topic = topic
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
    }
}

/// What the HTTP edge may ask of the notification service (implemented by `NotificationService`).
public protocol NotificationInbox: Sendable {
    /// A principal's feed after `cursor` (an event id), oldest first, optionally one project's.
    func feed(principal: PrincipalID, project: String?, after cursor: String?, limit: Int) async throws -> [NotificationFeedItem]

    /// Registers a webhook endpoint for a project.
    /// - Throws: ``ErrorCode/notificationTargetInvalid`` (not an absolute http(s) URL, an unknown template).
    func addWebhook(project: Project, url: String, templates: [String], by actor: PrincipalID, requestID: String?) async throws
        -> CreatedWebhookEndpoint

    /// A project's endpoints.
    func webhooks(project: Project) async throws -> [WebhookEndpoint]

    /// Removes an endpoint. - Throws: ``ErrorCode/notificationNotFound``.
    func removeWebhook(_ id: String, project: Project, by actor: PrincipalID, requestID: String?) async throws

    /// A principal's preferences in a project (defaults when never set).
    func preferences(principal: PrincipalID, project: Project) async throws -> NotificationPreferenceSettings

    /// Replaces a principal's preferences in a project.
    /// - Throws: ``ErrorCode/notificationPreferenceLocked`` (muting a security or billing
    ///   template), ``ErrorCode/notificationTargetInvalid`` (a malformed email, an unknown template).
    func setPreferences(_ settings: NotificationPreferenceSettings, principal: PrincipalID, project: Project, requestID: String?)
        async throws -> NotificationPreferenceSettings

    /// Dead-lettered intents, oldest first.
    func deadLetters(limit: Int) async throws -> [DeadLetterIntent]

    /// Puts a dead-lettered intent back to pending. - Throws: ``ErrorCode/notificationNotFound``.
    func retryDeadLetter(_ eventId: String, by actor: PrincipalID, requestID: String?) async throws
}

import HTTPTypes
import PlatformContracts

extension Endpoints {
    /// A webhook endpoint of a project.
    public typealias WebhookItem = ProjectItemPath<ProjectItems.Webhook>

    public static let listNotifications = Endpoint<NoPath, NotificationFeedQuery, NoBody, [NotificationFeedItem]>(
        .listNotifications, in: .notifications, .get, "/v1/notifications", scope: "notifications:feed:read",
        summary: "The caller's own in-app feed after `after` (an event id), oldest first, optionally one project's.")
    public static let streamNotifications = Endpoint<NoPath, NotificationFeedQuery, NoBody, [NotificationFeedItem]>(
        .streamNotifications, in: .notifications, .get, "/v1/notifications/stream", scope: "notifications:feed:read",
        summary: "The caller's feed as Server-Sent Events with Accept: text/event-stream: replays after `after` (or Last-Event-ID), then pushes new items.",
        eventStream: true)
    public static let createWebhook = Endpoint<ProjectPath, NoQuery, WebhookEndpointRequest, CreatedWebhookEndpoint>(
        .createWebhook, in: .notifications, .post, "/v1/projects/\(.project)/webhooks", scope: "notifications:webhook:manage",
        summary: "Register a webhook endpoint (Standard Webhooks signatures); the answer carries its `whsec_` secret, shown only this once.",
        status: .created)
    public static let listWebhooks = Endpoint<ProjectPath, NoQuery, NoBody, [WebhookEndpoint]>(
        .listWebhooks, in: .notifications, .get, "/v1/projects/\(.project)/webhooks", scope: "notifications:webhook:manage",
        summary: "The project's webhook endpoints (never their secrets).")
    public static let deleteWebhook = Endpoint<WebhookItem, NoQuery, NoBody, NoContent>(
        .deleteWebhook, in: .notifications, .delete, "/v1/projects/\(.project)/webhooks/\(.webhook)", scope: "notifications:webhook:manage",
        summary: "Remove a webhook endpoint; deliveries to it stop.")
    public static let getNotificationPreferences = Endpoint<ProjectPath, NoQuery, NoBody, NotificationPreferenceSettings>(
        .getNotificationPreferences, in: .notifications, .get, "/v1/projects/\(.project)/notification-preferences",
        scope: "notifications:feed:read", summary: "The caller's own notification preferences in the project (defaults when never set).")
    public static let setNotificationPreferences = Endpoint<ProjectPath, NoQuery, NotificationPreferenceSettings, NotificationPreferenceSettings>(
        .setNotificationPreferences, in: .notifications, .put, "/v1/projects/\(.project)/notification-preferences",
        scope: "notifications:preference:write",
        summary: "Replace the caller's own preferences in the project: muted templates (never security or billing ones) and the email address.")
    public static let listDeadLetters = Endpoint<NoPath, DeadLettersQuery, NoBody, [DeadLetterIntent]>(
        .listDeadLetters, in: .notifications, .get, "/v1/notifications/dead-letters", scope: "notifications:deadletter:manage",
        summary: "Outbox intents that failed their last delivery attempt, oldest first.")
    public static let retryDeadLetter = Endpoint<DeadLetterPath, NoQuery, NoBody, NoContent>(
        .retryDeadLetter, in: .notifications, .post, "/v1/notifications/dead-letters/\(.event)/retry", scope: "notifications:deadletter:manage",
        summary: "Put a dead-lettered intent back to pending: the dispatcher delivers it again.")
}

/// `/v1/notifications/dead-letters/{event}`.
public struct DeadLetterPath: EndpointPath {
    public static let parameters: [PathParameter] = [.event]
    /// The outbox event id.
    public var event: String
    /// Creates the value.
    public init(event: String) { self.event = event }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) { event = try value(.event) }
    public func value(of parameter: PathParameter) -> String { event }
}

extension ProjectItems {
    /// A webhook endpoint.
    public enum Webhook: ProjectItem { public static let parameter = PathParameter.webhook }
}

/// The filters of the caller's notification feed (and where its stream starts).
public struct NotificationFeedQuery: EndpointQuery {
    /// The most items one page (or one replay step of the stream) holds.
    public static let maxLimit = 500
    static let project = QueryField("project", .string, "Only items of this project (id or `tenant/project`).")
    static let after = QueryField("after", .string, "Only items after this event id (default: from the start; the stream's Last-Event-ID when absent).")
    static let limit = QueryField("limit", .integer(1...Int64(maxLimit)), "At most this many items (default 100).")
    public static let fields = [project, after, limit]
    /// Project filter.
    public var project: String?
    /// Cursor: an event id.
    public var after: String?
    /// Page size.
    public var limit: Int
    /// Creates the query.
    public init(project: String? = nil, after: String? = nil, limit: Int = 100) {
        self.project = project; self.after = after; self.limit = limit
    }
    public init(reading value: (String) -> String?) throws(PlatformError) {
        project = value("project"); after = value("after")
        limit = Int(try Self.limit.number(value) ?? 100)
    }
    public var items: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        if let project { items.append(("project", project)) }
        if let after { items.append(("after", after)) }
        if limit != 100 { items.append(("limit", String(limit))) }
        return items
    }
}

/// `?limit=` of the dead-letter list.
public struct DeadLettersQuery: EndpointQuery {
    static let limit = QueryField("limit", .integer(1...1000), "At most this many intents (default 100).")
    public static let fields = [limit]
    /// Page size.
    public var limit: Int
    /// Creates the query.
    public init(limit: Int = 100) { self.limit = limit }
    public init(reading value: (String) -> String?) throws(PlatformError) { limit = Int(try Self.limit.number(value) ?? 100) }
    public var items: [(name: String, value: String)] { limit == 100 ? [] : [("limit", String(limit))] }
}

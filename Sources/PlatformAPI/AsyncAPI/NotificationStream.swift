import PlatformContracts

/// The Server-Sent Events form of ``Endpoints/streamNotifications`` (`Accept:
/// text/event-stream`): the framing the server writes and the AsyncAPI document describes.
///
/// ```text
/// id: 01J9Z…
/// event: notification
/// data: {"body":"…","category":"lifecycle","eventId":"01J9Z…",…}
///
/// : keep-alive
///
/// ```
public enum NotificationStream {
    /// The SSE `event:` name of every frame: one ``NotificationFeedItem`` per feed entry.
    public static let eventName = "notification"
    /// How often, in seconds, a quiet stream carries a keep-alive comment. Shorter than the
    /// instance stream's: a write is how the server learns that a client has gone (the socket
    /// allows half-closure, so a closed client is not seen until a write fails), and a feed
    /// stream stays open for an hour, so a gone client should stop its reads within seconds.
    public static let keepAliveSeconds = 5
    /// How long one stream stays open, in seconds. A client reconnects with `Last-Event-ID`
    /// and misses nothing; the bound keeps one forgotten client from holding a connection
    /// and a poll loop forever.
    public static let maximumSeconds = 3600

    /// One item's frame: `id` is its event id (what `Last-Event-ID` resumes after), `data`
    /// the item's JSON on one line.
    public static func frame(eventID: String, json: String) -> String {
        "id: \(eventID)\nevent: \(eventName)\ndata: \(json)\n\n"
    }

    /// The stream as the AsyncAPI document describes it.
    public static let stream = EventStream(
        Endpoints.streamNotifications, channel: "notificationFeed", event: eventName,
        title: "In-app notification feed",
        summary: "One `notification` event per item of the caller's own feed.",
        description: """
            `GET` with `Accept: \(InstanceEventStream.contentType)` opens a Server-Sent Events stream of the calling \
            principal's own feed (optionally one project's, `?project=`). It first replays the items after \
            `\(InstanceEventStream.lastEventIDHeader)` (or `?after=<event id>`; the query wins), oldest first, then \
            sends each new item as the notification service writes it. Each frame is `id: <eventId>`, \
            `event: \(eventName)`, `data: <NotificationFeedItem JSON>`. A quiet stream carries the comment \
            `\(InstanceEventStream.keepAliveFrame.split(separator: "\n")[0])` about every \(keepAliveSeconds) s. \
            The server closes a stream after \(maximumSeconds) s; the client reconnects with the last id it saw \
            and misses nothing. Without that `Accept` the same request answers one page of the feed as a JSON array.
            """,
        examples: [
            NotificationFeedItem(
                eventId: "01J9ZQ3V7X0000000000000000", template: "instance.failed", severity: "critical", category: "lifecycle",
                project: "01J9ZQ2A1B0000000000000000", subject: "Instance 01J9ZQ2C… failed",
                body: "The instance stopped with health_timeout: not ready within 300 s.", createdAt: "2026-01-01T12:05:00Z"),
        ],
        idProperty: "eventId")
}

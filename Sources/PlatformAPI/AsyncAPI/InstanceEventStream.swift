import PlatformContracts

/// The Server-Sent Events form of ``Endpoints/listInstanceEvents`` (`Accept:
/// text/event-stream`): the framing constants the server writes and the AsyncAPI document
/// describes, kept here so the two cannot name different events.
///
/// ```text
/// id: 3
/// event: phase
/// data: {"at":"…","phase":"ready","seq":3}
///
/// : keep-alive
///
/// ```
public enum InstanceEventStream {
    /// The SSE `event:` name of every frame: one ``InstanceEvent`` per phase change.
    public static let eventName = "phase"
    /// The media type a client asks for with `Accept`, and the response's `Content-Type`.
    public static let contentType = "text/event-stream"
    /// The request header a reconnecting client sends with the last `id:` it saw; the
    /// stream resumes after that sequence number (the `after` query wins when both are sent).
    public static let lastEventIDHeader = "Last-Event-ID"
    /// The comment frame sent while nothing happens, so proxies do not close an idle stream.
    public static let keepAliveFrame = ": keep-alive\n\n"
    /// How often, in seconds, a quiet stream carries ``keepAliveFrame``.
    public static let keepAliveSeconds = 15

    /// One event's frame: `id` is the event's sequence number (what `Last-Event-ID` resumes
    /// after), `data` the event's JSON on one line.
    /// - Parameters:
    ///   - seq: The event's ``InstanceEvent/seq``.
    ///   - json: The event encoded as single-line JSON.
    public static func frame(seq: Int, json: String) -> String {
        "id: \(seq)\nevent: \(eventName)\ndata: \(json)\n\n"
    }

    /// The stream as the AsyncAPI document describes it.
    public static let stream = EventStream(
        Endpoints.listInstanceEvents, channel: "instanceEvents", event: eventName,
        title: "Instance phase events",
        summary: "One `phase` event per phase change of one instance.",
        description: """
            `GET` with `Accept: \(contentType)` opens a Server-Sent Events stream of the instance's phase changes. \
            Each frame is `id: <seq>`, `event: \(eventName)`, `data: <InstanceEvent JSON>`. A client that reconnects \
            sends the last id it saw as `\(lastEventIDHeader)` (or `?after=<seq>`) and receives only later events. \
            A quiet stream carries the comment `\(keepAliveFrame.split(separator: "\n")[0])` about every \(keepAliveSeconds) s. \
            The server closes the stream after a terminal phase (`stopped`, `succeeded`, `failed`), at once when the \
            instance is already terminal and nothing is left to send. Without that `Accept` the same request answers \
            the events after `after` as a JSON array.
            """,
        examples: [
            InstanceEvent(seq: 4, phase: .ready, message: "readiness probe passed", at: "2026-01-01T12:00:04Z"),
            InstanceEvent(seq: 6, phase: .failed(.healthTimeout), message: "not ready within 300 s", at: "2026-01-01T12:05:00Z"),
        ])
}

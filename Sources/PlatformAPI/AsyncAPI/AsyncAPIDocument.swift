import Foundation

/// The AsyncAPI 3.0 document of platformd's asynchronous surfaces, generated from the same
/// endpoint values and event types the server uses (served at `/asyncapi.json`, committed as
/// manifests/api/asyncapi.json, checked by a golden test and scripts/asyncapi/validate.sh).
///
/// It describes the server: each operation's `action` is `send` (platformd sends the events).
/// Adding a surface is one entry in ``surfaces``.
public enum AsyncAPIDocument {
    /// The AsyncAPI version the document follows.
    public static let asyncAPIVersion = "3.0.0"

    /// Every asynchronous surface: the instance phase events and the in-app notification feed.
    /// The connect WebSocket relay and `/connect/{session}/tunnel` carry opaque bytes, not
    /// typed messages, so they are not listed.
    static let surfaces: [any AsyncSurface] = [InstanceEventStream.stream, NotificationStream.stream]

    /// The endpoints that stream events, as the document lists them (a test compares these
    /// with the endpoints whose `eventStream` is true).
    public static var streamedOperations: [Operation] { surfaces.compactMap(\.describedEndpoint?.operation) }

    /// What the document says about what it does not list, and why.
    static let description = """
        The asynchronous surfaces of the app-runtime platform's API. Channel addresses are paths on the platformd \
        that serves this document (`/asyncapi.json`, beside `/openapi.json`); requests authenticate like the `/v1` \
        API (`Authorization: Bearer <API key>`) and need the scope in each operation's `x-required-scope`.

        Notifications are rendered from the notification-template registry and delivered through the \
        transactional outbox: the in-app feed is the `notificationFeed` channel below; webhook deliveries are \
        signed per the Standard Webhooks specification and e-mail goes over SMTP, neither of which is a channel \
        a client subscribes to here. Not listed, on purpose: the connect data plane (`/i/{instance}/…` \
        WebSockets, `/connect/{session}/tunnel`), because it relays the app's own frames and bytes, not messages \
        of a type platformd defines.
        """

    /// The document as Foundation values for `JSONSerialization`.
    /// - Throws: ``SchemaDerivationError`` when an event type's schema cannot be derived.
    static func document() throws(SchemaDerivationError) -> [String: Any] {
        var schemas = JSONSchemaCatalog()
        var channels: [String: Any] = [:]
        var operations: [String: Any] = [:]
        for surface in surfaces {
            let entry = try surface.describe(into: &schemas)
            channels[entry.channelID] = entry.channel
            operations[entry.operationID] = entry.operation
        }
        return [
            "asyncapi": asyncAPIVersion,
            "info": ["title": "platformd events", "version": "1.0.0", "description": description],
            "defaultContentType": "application/json",
            "channels": channels,
            "operations": operations,
            "components": [
                "schemas": schemas.componentObjects,
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer", "description": "An API key: `Authorization: Bearer <key>`."],
                ],
            ],
        ]
    }

    /// The document as pretty-printed JSON with sorted keys, ending in a newline.
    /// - Throws: ``SchemaDerivationError`` when an event type's schema cannot be derived
    ///   (the golden test calls this, so such a type fails the build's tests, not a request).
    public static func generate() throws(SchemaDerivationError) -> Data {
        let object = try document()
        // Foundation values built above always serialize.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
        return data + Data("\n".utf8)
    }

    /// The document's bytes (byte-stable: what is committed and what `/asyncapi.json` serves);
    /// empty only if an event type's schema cannot be derived, which ``generate()`` reports.
    public static func json() -> Data { (try? generate()) ?? Data() }
}

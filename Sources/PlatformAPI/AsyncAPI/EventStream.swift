import Foundation
import HTTPTypes

/// A Server-Sent Events stream that an ``Endpoint`` opens when asked for
/// `text/event-stream`: which event name its frames carry and what each frame's `data` is.
/// The event type is the endpoint's own response element type, so the AsyncAPI payload and
/// the JSON array the same endpoint answers cannot describe different things.
public struct EventStream<Path: EndpointPath, Query: EndpointQuery, Event: Codable & Sendable>: AsyncSurface {
    /// The endpoint that opens the stream.
    public let endpoint: Endpoint<Path, Query, NoBody, [Event]>
    /// The AsyncAPI channel id.
    public let channel: String
    /// The SSE `event:` name (and the AsyncAPI message id).
    public let event: String
    /// A title for the channel.
    public let title: String
    /// One line for the message.
    public let summary: String
    /// The framing, resumption and closing rules (CommonMark).
    public let description: String
    /// Events as the server encodes them, shown in the document and checked against its
    /// schema by the validator.
    public let examples: [Event]
    /// The payload property each frame's SSE `id:` repeats (what `Last-Event-ID` resumes after).
    public let idProperty: String

    /// Describes a stream.
    /// - Parameters:
    ///   - endpoint: The endpoint (its `eventStream` must be `true`); its response is `[Event]`.
    ///   - channel: The AsyncAPI channel id.
    ///   - event: The SSE event name.
    ///   - title: The channel's title.
    ///   - summary: One line.
    ///   - description: Framing and lifecycle.
    ///   - examples: Example events.
    ///   - idProperty: The payload property the SSE `id:` carries (default `seq`).
    public init(_ endpoint: Endpoint<Path, Query, NoBody, [Event]>, channel: String, event: String, title: String,
                summary: String, description: String, examples: [Event], idProperty: String = "seq") {
        self.endpoint = endpoint
        self.channel = channel
        self.event = event
        self.title = title
        self.summary = summary
        self.description = description
        self.examples = examples
        self.idProperty = idProperty
    }

    /// The channel (address = the endpoint's path template) and the operation by which
    /// platformd sends the events (`send`: the document describes the server).
    func describe(into schemas: inout some AsyncAPISchemaSource) throws(SchemaDerivationError) -> AsyncSurfaceEntry {
        let examples: [[String: Any]] = self.examples.enumerated().map { index, event in
            ["name": "\(self.event)-\(index + 1)", "payload": Self.wireForm(event)]
        }
        let message: [String: Any] = [
            "name": event,
            "title": "SSE event `\(event)`",
            "summary": summary,
            "contentType": "application/json",
            "payload": try schemas.reference(for: Event.self),
            "examples": examples,
            "x-sse-event": event,
            "x-sse-id": "$message.payload#/\(idProperty)",
        ]
        var channelObject: [String: Any] = [
            "address": endpoint.path.description,
            "title": title,
            "description": description,
            "messages": [event: message],
        ]
        let parameters = endpoint.path.parameters
        if !parameters.isEmpty {
            channelObject["parameters"] = Dictionary(uniqueKeysWithValues: parameters.map { ($0.rawValue, ["description": $0.summary]) })
        }
        var binding: [String: Any] = ["method": endpoint.method.rawValue, "bindingVersion": "0.3.0"]
        if let query = QueryField.objectSchema(endpoint.queryFields) { binding["query"] = query }
        var operation: [String: Any] = [
            "action": "send",
            "channel": ["$ref": "#/channels/\(channel)"],
            "messages": [["$ref": "#/channels/\(channel)/messages/\(event)"]],
            "title": title,
            "summary": endpoint.summary,
            "security": [["$ref": "#/components/securitySchemes/bearer"]],
            "bindings": ["http": binding],
        ]
        if let scope = endpoint.scope { operation["x-required-scope"] = scope }
        return AsyncSurfaceEntry(channelID: channel, channel: channelObject, operationID: endpoint.operation.rawValue, operation: operation)
    }

    /// An event as the server sends it: encoded by its own `Encodable` conformance.
    static func wireForm(_ event: Event) -> Any {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(event)).flatMap { try? JSONSerialization.jsonObject(with: $0) } ?? NSNull()
    }

    /// The endpoint, type-erased (what the coverage test compares with the endpoint table).
    public var describedEndpoint: (any EndpointDescribing)? { endpoint }
}

extension QueryField {
    /// The JSON Schema of a query string with these fields (the HTTP binding's `query`);
    /// `nil` when there are none.
    static func objectSchema(_ fields: [QueryField]) -> [String: Any]? {
        guard !fields.isEmpty else { return nil }
        var properties: [String: Any] = [:]
        for field in fields {
            var schema: [String: Any] = ["description": field.summary]
            switch field.kind {
            case .string: schema["type"] = "string"
            case .integer(let bounds): schema.merge(["type": "integer", "minimum": bounds.lowerBound, "maximum": bounds.upperBound]) { $1 }
            }
            properties[field.name] = schema
        }
        var object: [String: Any] = ["type": "object", "properties": properties]
        let required = fields.filter(\.required).map(\.name)
        if !required.isEmpty { object["required"] = required }
        return object
    }
}

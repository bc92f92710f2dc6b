import Foundation
import PlatformAPI
import PlatformContracts
import Testing

/// The AsyncAPI document says what the server sends: its channels come from the endpoint
/// table, its payload schema from `InstanceEvent`, its event name from the constant the SSE
/// writer uses.
@Suite("AsyncAPI document")
struct AsyncAPIDocumentTests {
    let document: [String: Any]

    init() throws {
        document = try #require(try JSONSerialization.jsonObject(with: AsyncAPIDocument.json()) as? [String: Any])
    }

    /// The value at a local `$ref` (`#/a/b`), `nil` when it points nowhere.
    func resolve(_ reference: String) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any? = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = (node as? [String: Any])?[key]
        }
        return node
    }

    /// Every `$ref` string anywhere in `node`.
    func references(in node: Any) -> [String] {
        if let object = node as? [String: Any] {
            return ((object["$ref"] as? String).map { [$0] } ?? []) + object.values.flatMap(references(in:))
        }
        if let array = node as? [Any] { return array.flatMap(references(in:)) }
        return []
    }

    /// The instance-events channel, found by its operation's endpoint (not by a name the test repeats).
    func eventsChannel() throws -> [String: Any] {
        let operations = try #require(document["operations"] as? [String: [String: Any]])
        let operation = try #require(operations[Endpoints.listInstanceEvents.operation.rawValue])
        let channelRef = try #require((operation["channel"] as? [String: Any])?["$ref"] as? String)
        return try #require(resolve(channelRef) as? [String: Any], "\(channelRef) does not resolve")
    }

    /// The phase message's payload schema, following its `$ref`.
    func eventSchema() throws -> [String: Any] {
        let messages = try #require(try eventsChannel()["messages"] as? [String: [String: Any]])
        let payload = try #require(messages[InstanceEventStream.eventName]?["payload"] as? [String: Any])
        if let reference = payload["$ref"] as? String {
            return try #require(resolve(reference) as? [String: Any], "\(reference) does not resolve")
        }
        return payload
    }

    @Test("the document declares AsyncAPI 3.0.0")
    func version() {
        #expect(document["asyncapi"] as? String == "3.0.0")
        #expect((document["info"] as? [String: Any])?["title"] is String)
    }

    @Test("every endpoint that answers Server-Sent Events has a channel, and only those")
    func everyEventStreamIsDocumented() {
        let streaming = Endpoints.all.filter(\.eventStream).map(\.operation)
        #expect(!streaming.isEmpty)
        #expect(Set(AsyncAPIDocument.streamedOperations) == Set(streaming))
        let operations = (document["operations"] as? [String: Any]).map { Set($0.keys) } ?? []
        #expect(operations == Set(streaming.map(\.rawValue)))
    }

    @Test("the channel's address is the endpoint's path template and declares exactly its parameters")
    func channelAddressIsThePathTemplate() throws {
        let channel = try eventsChannel()
        #expect(channel["address"] as? String == Endpoints.listInstanceEvents.path.description)
        #expect(channel["address"] as? String == "/v1/projects/{project}/instances/{instance}/events")
        let parameters = try #require(channel["parameters"] as? [String: Any])
        #expect(Set(parameters.keys) == Set(Endpoints.listInstanceEvents.path.parameters.map(\.rawValue)))
    }

    @Test("the operation is a GET that platformd sends on, with the endpoint's scope and the after query")
    func operationBinding() throws {
        let operations = try #require(document["operations"] as? [String: [String: Any]])
        let operation = try #require(operations[Endpoints.listInstanceEvents.operation.rawValue])
        #expect(operation["action"] as? String == "send")
        #expect(operation["x-required-scope"] as? String == Endpoints.listInstanceEvents.scope)
        let http = try #require((operation["bindings"] as? [String: Any])?["http"] as? [String: Any])
        #expect(http["method"] as? String == "GET")
        let query = try #require((http["query"] as? [String: Any])?["properties"] as? [String: Any])
        #expect(Set(query.keys) == Set(Endpoints.listInstanceEvents.queryFields.map(\.name)))
        let messages = try #require(operation["messages"] as? [[String: Any]])
        let channelRef = try #require((operation["channel"] as? [String: Any])?["$ref"] as? String)
        #expect(messages.compactMap { $0["$ref"] as? String } == ["\(channelRef)/messages/\(InstanceEventStream.eventName)"])
    }

    @Test("the message is named after the SSE event the server writes")
    func messageNameIsTheEventName() throws {
        let messages = try #require(try eventsChannel()["messages"] as? [String: [String: Any]])
        #expect(Array(messages.keys) == [InstanceEventStream.eventName])
        #expect(messages[InstanceEventStream.eventName]?["name"] as? String == "phase")
    }

    @Test("the payload schema has exactly the keys InstanceEvent encodes, and requires those every event has")
    func payloadHasInstanceEventKeys() throws {
        let schema = try eventSchema()
        let properties = try #require(schema["properties"] as? [String: Any])
        var everyKey = Set<String>(), alwaysKeys: Set<String>?
        for phase in InstancePhase.allCases {
            for message in [nil, "why"] {
                let data = try JSONEncoder().encode(InstanceEvent(seq: 1, phase: phase, message: message, at: "2026-01-01T00:00:00Z"))
                let keys = Set(try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys)
                everyKey.formUnion(keys)
                alwaysKeys = alwaysKeys.map { $0.intersection(keys) } ?? keys
            }
        }
        #expect(Set(properties.keys) == everyKey)
        #expect(Set(schema["required"] as? [String] ?? []) == alwaysKeys)
    }

    /// The `enum` of a property's schema, through a `$ref` or a nullable `anyOf`.
    func enumValues(_ schema: Any?) -> [String]? {
        guard let object = schema as? [String: Any] else { return nil }
        if let values = object["enum"] as? [String] { return values.filter { $0 != "null" } }
        if let reference = object["$ref"] as? String { return enumValues(resolve(reference)) }
        if let choices = object["anyOf"] as? [Any] { return choices.lazy.compactMap(enumValues).first }
        return nil
    }

    @Test("the phase enum is InstancePhase's names, in lifecycle order; reason lists FailureReason's")
    func phaseEnumIsInstancePhaseNames() throws {
        let properties = try #require(try eventSchema()["properties"] as? [String: Any])
        #expect(enumValues(properties["phase"]) == InstancePhase.names)
        #expect(enumValues(properties["reason"]) == FailureReason.allCases.map(\.rawValue))
    }

    @Test("every $ref in the document resolves")
    func referencesResolve() {
        let references = references(in: document)
        #expect(!references.isEmpty)
        for reference in references {
            #expect(resolve(reference) != nil, "\(reference) points nowhere")
        }
    }

    @Test("the examples are events as the server encodes them and decode back")
    func examplesAreWireForm() throws {
        let messages = try #require(try eventsChannel()["messages"] as? [String: [String: Any]])
        let examples = try #require(messages[InstanceEventStream.eventName]?["examples"] as? [[String: Any]])
        #expect(examples.count == InstanceEventStream.stream.examples.count)
        for (example, event) in zip(examples, InstanceEventStream.stream.examples) {
            let payload = try JSONSerialization.data(withJSONObject: try #require(example["payload"]))
            #expect(try JSONDecoder().decode(InstanceEvent.self, from: payload) == event)
        }
    }

    @Test("the document's bytes are stable between calls")
    func stableBytes() {
        #expect(AsyncAPIDocument.json() == AsyncAPIDocument.json())
        #expect(AsyncAPIDocument.json().last == UInt8(ascii: "\n"))
    }
}

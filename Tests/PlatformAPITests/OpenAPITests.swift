import Foundation
import PlatformAPI
import PlatformContracts
import Testing

/// The OpenAPI document cannot drift: it is derived from the endpoint table and the Codable
/// types, the committed copy must equal the generator's output, and every endpoint is in it.
@Suite("OpenAPI contract")
struct OpenAPITests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("manifests/api/openapi.json")

    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json()) as? [String: Any])
    }

    static func operations() throws -> [String: [String: Any]] {
        let paths = try #require(try document()["paths"] as? [String: [String: [String: Any]]])
        var operations: [String: [String: Any]] = [:]
        for (_, methods) in paths {
            for (_, operation) in methods { operations[try #require(operation["operationId"] as? String)] = operation }
        }
        return operations
    }

    @Test("manifests/api/openapi.json equals the generated document (UPDATE_GOLDEN=1 rewrites it)")
    func committedCopyMatches() throws {
        #expect(throws: Never.self) { _ = try OpenAPIDocument.document() }
        let generated = OpenAPIDocument.json()
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try generated.write(to: Self.committed)
        }
        #expect(try Data(contentsOf: Self.committed) == generated, "regenerate with UPDATE_GOLDEN=1 swift test --filter OpenAPITests")
    }

    @Test("every endpoint is documented under its method and path, with its operation as operationId")
    func everyEndpointDocumented() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: [String: Any]]])
        for endpoint in Endpoints.all {
            let operation = paths[endpoint.path.description]?["\(endpoint.method)".lowercased()]
            #expect(operation?["operationId"] as? String == endpoint.operation.rawValue, "\(endpoint.signature)")
        }
        let v1 = paths.filter { $0.key.hasPrefix("/v1/") }.values.reduce(0) { $0 + $1.count }
        #expect(v1 == Endpoints.all.count)
        for endpoint in OperationsEndpoint.allCases {
            #expect(paths[endpoint.path]?["get"]?["operationId"] as? String == endpoint.rawValue)
        }
    }

    /// The golden compares derived schemas: the committed document's InstanceUsage lists each
    /// key the type encodes, so a field added to the type changes the document (and the
    /// committed copy then fails ``committedCopyMatches()`` until regenerated).
    @Test("the document's schemas are the derived ones: a response type's encoded keys are its documented properties")
    func documentCarriesDerivedSchemas() throws {
        let components = try #require((try Self.document()["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        let usage = try #require(components["InstanceUsage"])
        let documented = Set((usage["properties"] as? [String: Any] ?? [:]).keys)
        let encoded = try JSONEncoder().encode(InstanceUsage(
            instance: "i", project: "p", totals: [], recordedThrough: Timestamp(millisecondsSinceEpoch: 0)))
        let keys = Set(try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any]).keys)
        #expect(keys.isSubset(of: documented), "encoded but undocumented: \(keys.subtracting(documented).sorted())")
        #expect(Set(usage["required"] as? [String] ?? []).isSubset(of: keys))
        #expect(documented.isSuperset(of: ["instance", "project", "totals", "recordedThrough"]))
        let responses = try #require(try Self.operations()["getInstanceUsage"]?["responses"] as? [String: [String: Any]])
        let content = try #require(responses["200"]?["content"] as? [String: [String: Any]])
        #expect(content["application/json"]?["schema"] as? [String: String] == ["$ref": "#/components/schemas/InstanceUsage"])
    }

    @Test("query numbers carry their bounds, path parameters their summary, event streams an SSE alternative")
    func parametersAndStreams() throws {
        let operations = try Self.operations()
        let logs = try #require(operations["readInstanceLogs"]?["parameters"] as? [[String: Any]])
        let offset = try #require(logs.first { $0["name"] as? String == "offset" }?["schema"] as? [String: Any])
        #expect(offset["minimum"] as? Int64 == 0)
        #expect(offset["maximum"] as? Int64 == LogsQuery.maxOffset)
        let project = try #require(logs.first { $0["name"] as? String == "project" })
        #expect(project["description"] as? String == PathParameter.project.summary)
        let records = try #require(operations["listAuditRecords"]?["parameters"] as? [[String: Any]])
        #expect(Set(records.compactMap { $0["name"] as? String })
            == ["action", "since", "after", "limit", "actor", "target", "request", "correlation", "order", "cursor"])
        let events = try #require(operations["listInstanceEvents"]?["responses"] as? [String: [String: Any]])
        let content = try #require(events["200"]?["content"] as? [String: Any])
        #expect(Set(content.keys) == ["application/json", "text/event-stream"])
        let created = try #require(operations["createTenant"]?["responses"] as? [String: Any])
        #expect(created["201"] != nil)
        #expect(operations["deleteInstance"]?["responses"].flatMap { ($0 as? [String: Any])?["204"] } != nil)
    }
}

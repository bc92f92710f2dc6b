import Foundation
import HTTPTypes
import PlatformAPI
import PortalGenerator

/// The typed contract as the portal's API reference reads it: every ``Endpoints`` entry
/// (operation id, method, path template, scope, path and query parameters) with the request
/// and response schemas of the OpenAPI document derived from the same Codable types.
public enum PortalAPIContract {
    /// The contract compiled into this appctl.
    public static func current() -> APIContract {
        let document = (try? JSONSerialization.jsonObject(with: OpenAPIDocument.json())) as? [String: Any] ?? [:]
        let paths = document["paths"] as? [String: Any] ?? [:]
        let components = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        let operations = Endpoints.all.map { endpoint -> APIContract.Operation in
            let documented = (paths[endpoint.path.description] as? [String: Any])?[endpoint.method.rawValue.lowercased()] as? [String: Any] ?? [:]
            let request = ((documented["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any]
            let response = (((documented["responses"] as? [String: Any])?["\(endpoint.successStatus.code)"] as? [String: Any])?["content"]
                as? [String: Any])?["application/json"] as? [String: Any]
            return APIContract.Operation(
                id: endpoint.operation.rawValue, method: endpoint.method.rawValue, path: endpoint.path.description,
                scope: endpoint.scope, summary: endpoint.summary, successStatus: endpoint.successStatus.code,
                eventStream: endpoint.eventStream,
                pathParameters: endpoint.path.parameters.map { .init(name: $0.rawValue, type: "string", required: true, summary: $0.summary) },
                queryParameters: endpoint.queryFields.map { .init(name: $0.name, type: type(of: $0), required: $0.required, summary: $0.summary) },
                requestBody: endpoint.requestBody.map { describe(request?["schema"], fallback: $0) },
                responseBody: endpoint.responseBody.map { describe(response?["schema"], fallback: $0) })
        }
        let schemas = components.map { name, schema in
            APIContract.Schema(name: name, json: (try? JSONSerialization.data(withJSONObject: schema, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "{}")
        }
        return APIContract(source: "Sources/PlatformAPI/Endpoints/", operations: operations, schemas: schemas)
    }

    /// `Name` for a `$ref`, `[Name]` for an array of them, else the JSON type; the Swift type
    /// name when the document says nothing.
    static func describe(_ schema: Any?, fallback: any Codable.Type) -> String {
        guard let schema = schema as? [String: Any] else { return String(describing: fallback) }
        if let reference = schema["$ref"] as? String { return String(reference.split(separator: "/").last ?? "") }
        if schema["type"] as? String == "array" { return "[\(describe(schema["items"], fallback: fallback))]" }
        if let type = schema["type"] as? String { return type }
        return schema.isEmpty || schema["anyOf"] != nil || schema["oneOf"] != nil ? "any JSON value" : String(describing: fallback)
    }

    /// `string`, `integer 0…100`, `integer ≥ 1`.
    static func type(of field: QueryField) -> String {
        switch field.kind {
        case .string: "string"
        case .integer(let bounds) where bounds.upperBound == Int64.max: "integer ≥ \(bounds.lowerBound)"
        case .integer(let bounds): "integer \(bounds.lowerBound)…\(bounds.upperBound)"
        }
    }
}

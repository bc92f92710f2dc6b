import Foundation
import HTTPTypes
import PlatformContracts

/// The OpenAPI 3.1 document of the `/v1` API and the operations endpoints, derived from the
/// typed endpoint table (``Endpoints/all``) and the endpoints' `Codable` types
/// (``JSONSchemaCatalog``): an operation cannot be routed undocumented, and a schema cannot
/// say other than what the server decodes. `manifests/api/openapi.json` is the committed
/// copy; a test fails when it drifts from this generator, CI runs `openapi-spec-validator`
/// on it, and the Python SDK is generated from it.
public enum OpenAPIDocument {
    /// The document as sorted, pretty-printed JSON bytes (stable: same input, same bytes).
    /// Should derivation fail, the bytes are a JSON object naming the failure, which the
    /// drift test and the spec validator reject; ``document()`` throws it.
    public static func json() -> Data {
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return try JSONSerialization.data(withJSONObject: try document(), options: options)
        } catch {
            return (try? JSONSerialization.data(withJSONObject: ["error": "\(error)"], options: options)) ?? Data()
        }
    }

    /// The document as Foundation values.
    /// - Throws: ``SchemaDerivationError`` when a type's schema cannot be derived.
    public static func document() throws(SchemaDerivationError) -> [String: Any] {
        var schemas = JSONSchemaCatalog()
        let error = try schemas.schema(for: ErrorBody.self)
        var paths: [String: [String: Any]] = [:]
        for endpoint in Endpoints.all {
            let object = try operationObject(endpoint, error: error, schemas: &schemas)
            paths[endpoint.path.description, default: [:]][endpoint.method.rawValue.lowercased()] = object
        }
        for endpoint in OperationsEndpoint.allCases {
            paths[endpoint.path] = ["get": try operationObject(endpoint, schemas: &schemas)]
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "platformd API", "version": PlatformVersion.version,
                "description": "The app-runtime platform's management API. Errors are `{\"error\":{\"code\",\"message\",\"requestId\"}}` "
                    + "with stable codes. Instance events are also a Server-Sent Events stream, described in /asyncapi.json.",
            ],
            "tags": APIArea.allCases.map { ["name": $0.rawValue, "description": $0.summary] }
                + [["name": "operations", "description": "Health, version, metrics and the API documents (no authentication)."]],
            "paths": paths,
            "components": [
                "schemas": schemas.components.mapValues(\.jsonObject),
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer", "description": "An API key (`appctl key create`)."],
                    "basic": ["type": "http", "scheme": "basic", "description": "Any user name, the API key as the password (what OCI clients send)."],
                ],
            ],
        ]
    }

    /// One `/v1` operation.
    static func operationObject(_ endpoint: any EndpointDescribing, error: JSONSchema,
                                schemas: inout JSONSchemaCatalog) throws(SchemaDerivationError) -> [String: Any] {
        var success: [String: Any] = ["description": endpoint.successStatus.reasonPhrase]
        if let response = endpoint.responseBody {
            var content: [String: Any] = ["application/json": ["schema": try schemas.schema(for: response).jsonObject]]
            if endpoint.eventStream {
                content["text/event-stream"] = ["schema": [
                    "type": "string",
                    "description": "Server-Sent Events, one element of the JSON answer per event (see /asyncapi.json).",
                ]]
            }
            success["content"] = content
        }
        if let links = linksObject(endpoint.operation) { success["links"] = links }
        func failure(_ description: String) -> [String: Any] {
            ["description": description, "content": ["application/json": ["schema": error.jsonObject]]]
        }
        var responses: [String: Any] = [
            String(endpoint.successStatus.code): success,
            "401": failure("No, malformed, expired or revoked key (iam.unauthenticated, iam.key_malformed, iam.key_invalid)."),
            "403": failure("The key lacks the operation's scope, or the resource is outside its tenant or project (iam.forbidden)."),
            "404": failure("Not found, or outside the key's tenant or project."),
            "503": failure("Store or audit unavailable; never an allow."),
        ]
        if endpoint.requestBody != nil || !endpoint.queryFields.isEmpty || !endpoint.path.parameters.isEmpty {
            responses["400"] = failure("Invalid request body, manifest or parameter (a path parameter with control characters included).")
        }
        if endpoint.method != .get {
            responses["409"] = failure("Conflicts with the current state: a name in use, an instance not yet terminal, a trust gate not met.")
        }
        var object: [String: Any] = [
            "operationId": endpoint.operation.rawValue,
            "summary": endpoint.summary,
            "tags": [endpoint.operation.area.rawValue],
            "responses": responses,
            "security": [["bearer": [String]()], ["basic": [String]()]],
        ]
        if let scope = endpoint.scope { object["x-required-scope"] = scope }
        let parameters = parameterObjects(endpoint)
        if !parameters.isEmpty { object["parameters"] = parameters }
        if let body = endpoint.requestBody {
            object["requestBody"] = ["required": true, "content": ["application/json": ["schema": try schemas.schema(for: body).jsonObject]]]
        }
        return object
    }

    /// Path parameters (from the template), query parameters (from the typed query's
    /// fields, integers with their bounds so boundary values get generated too), and
    /// `Last-Event-ID` for an event stream.
    static func parameterObjects(_ endpoint: any EndpointDescribing) -> [[String: Any]] {
        var parameters: [[String: Any]] = endpoint.path.parameters.map {
            ["name": $0.rawValue, "in": "path", "required": true, "schema": ["type": "string"], "description": $0.summary]
        }
        for field in endpoint.queryFields {
            parameters.append(["name": field.name, "in": "query", "required": field.required, "schema": querySchema(field.kind).jsonObject,
                               "description": field.summary])
        }
        if endpoint.eventStream {
            parameters.append(["name": "Last-Event-ID", "in": "header", "required": false, "schema": ["type": "string"],
                               "description": "Server-Sent Events resume point; used when `after` is absent."])
        }
        return parameters
    }

    /// A query field's schema: `int32` when its bounds fit, the bounds as minimum and maximum
    /// (the maximum left out when it is `Int64.max`, which `int64` already says).
    static func querySchema(_ kind: QueryField.Kind) -> JSONSchema {
        switch kind {
        case .string:
            return .string
        case .integer(let bounds):
            let fits32 = bounds.lowerBound >= Int64(Int32.min) && bounds.upperBound <= Int64(Int32.max)
            return JSONSchema(.integer(format: fits32 ? "int32" : "int64", minimum: bounds.lowerBound,
                                       maximum: bounds.upperBound == Int64.max ? nil : bounds.upperBound))
        }
    }

    /// One operations endpoint: no authentication, its own media type.
    static func operationObject(_ endpoint: OperationsEndpoint, schemas: inout JSONSchemaCatalog) throws(SchemaDerivationError) -> [String: Any] {
        let schema = try endpoint.response.map { type throws(SchemaDerivationError) in try schemas.schema(for: type).jsonObject }
            ?? ["type": "string"]
        let content: [String: Any] = [endpoint.mediaType: ["schema": schema]]
        var responses: [String: Any] = ["200": ["description": "OK", "content": content]]
        if endpoint.failsWithServiceUnavailable { responses["503"] = ["description": "Not ready.", "content": content] }
        return ["operationId": endpoint.rawValue, "summary": endpoint.summary, "responses": responses, "tags": ["operations"],
                "security": [Any]()]
    }
}

import Foundation
import HTTPTypes

/// The OpenAPI 3.1 document of the `/v1` API and the operations endpoints, generated from
/// the same route table the router registers (``PlatformAPI/routes``), so a route cannot
/// exist undocumented. `manifests/api/openapi.json` is the committed copy; a test fails
/// when it drifts from this generator, and CI runs `openapi-spec-validator` on it.
public enum OpenAPIDocument {
    /// Request body schema and success response of each route, by `METHOD path`.
    static let bodies: [String: (request: String?, status: Int, response: String?)] = [
        "GET /v1/whoami": (nil, 200, "Caller"),
        "GET /v1/registries/:kind": (nil, 200, "Registry"),
        "POST /v1/tenants": ("NameRequest", 201, "Tenant"),
        "GET /v1/tenants": (nil, 200, "TenantList"),
        "POST /v1/tenants/:tenant/projects": ("NameRequest", 201, "Project"),
        "GET /v1/tenants/:tenant/projects": (nil, 200, "ProjectList"),
        "POST /v1/tenants/:tenant/serviceaccounts": ("ServiceAccountRequest", 201, "ServiceAccount"),
        "GET /v1/tenants/:tenant/serviceaccounts": (nil, 200, "ServiceAccountList"),
        "DELETE /v1/tenants/:tenant/serviceaccounts/:account": (nil, 204, nil),
        "POST /v1/projects/:project/serviceaccounts": ("ServiceAccountRequest", 201, "ServiceAccount"),
        "GET /v1/projects/:project/serviceaccounts": (nil, 200, "ServiceAccountList"),
        "DELETE /v1/projects/:project/serviceaccounts/:account": (nil, 204, nil),
        "POST /v1/projects/:project/apps": ("AppRegistration", 201, "AppVersion"),
        "GET /v1/projects/:project/apps": (nil, 200, "AppVersionList"),
        "GET /v1/projects/:project/apps/:app": (nil, 200, "AppVersionList"),
        "POST /v1/keys": ("KeyRequest", 201, "IssuedKey"),
        "GET /v1/keys": (nil, 200, "APIKeyList"),
        "POST /v1/keys/:key/rotate": ("RotateRequest", 201, "IssuedKey"),
        "POST /v1/keys/:key/revoke": (nil, 200, "APIKeyInfo"),
        "GET /v1/audit/records": (nil, 200, "AuditRecordList"),
        "GET /v1/audit/export": (nil, 200, "AuditExport"),
        "GET /v1/audit/checkpoint": (nil, 200, "AuditCheckpoint"),
        "GET /v1/audit/consistency": (nil, 200, "AuditConsistencyProof"),
        "POST /v1/projects/:project/signingkeys": ("SigningKeyRequest", 201, "SigningKey"),
        "GET /v1/projects/:project/signingkeys": (nil, 200, "SigningKeyList"),
        "POST /v1/projects/:project/signingkeys/:key/rotate": ("SigningKeyRequest", 201, "SigningKey"),
        "POST /v1/projects/:project/signingkeys/:key/revoke": (nil, 200, "SigningKey"),
        "GET /v1/projects/:project/artifacts": (nil, 200, "ArtifactList"),
        "GET /v1/nodes": (nil, 200, "NodeList"),
        "GET /v1/projects/:project/artifacts/:digest": (nil, 200, "ArtifactStatus"),
        "POST /v1/projects/:project/artifacts/:digest/promote": ("PromotionRequest", 200, "ArtifactStatus"),
        "POST /v1/projects/:project/instances": ("LaunchRequest", 201, "Instance"),
        "GET /v1/projects/:project/instances": (nil, 200, "InstanceList"),
        "GET /v1/projects/:project/instances/:instance": (nil, 200, "Instance"),
        "GET /v1/projects/:project/instances/:instance/events": (nil, 200, "InstanceEventList"),
        "GET /v1/projects/:project/instances/:instance/logs": (nil, 200, "InstanceLogChunk"),
        "GET /v1/projects/:project/instances/:instance/usage": (nil, 200, "InstanceUsage"),
        "POST /v1/projects/:project/instances/:instance/stop": (nil, 200, "Instance"),
        "DELETE /v1/projects/:project/instances/:instance": (nil, 204, nil),
        "POST /v1/projects/:project/instances/:instance/connect": ("ConnectRequest", 201, "ConnectSession"),
        "GET /v1/projects/:project/connect-sessions": (nil, 200, "ConnectSessionList"),
        "POST /v1/projects/:project/connect-sessions/:session/refresh": ("ConnectRefreshRequest", 200, "ConnectSession"),
        "DELETE /v1/projects/:project/connect-sessions/:session": (nil, 200, "ConnectSession"),
    ]

    /// The routes that are documented but not in the table (operations endpoints).
    static let operations: [(path: String, summary: String, response: String, mediaType: String)] = [
        ("/livez", "Liveness (application/health+json).", "HealthReport", "application/health+json"),
        ("/readyz", "Readiness; 503 with the reasons when a check fails.", "HealthReport", "application/health+json"),
        ("/version", "Build, schema and installation identity.", "VersionInfo", "application/json"),
        ("/metrics", "Prometheus text exposition.", "", "text/plain"),
        ("/openapi.json", "This document.", "", "application/json"),
        ("/portal/", "The developer portal as HTML (portal/ rendered with cmark-gfm at start-up); pages under /portal/.", "", "text/html"),
    ]

    /// The document as sorted, pretty-printed JSON bytes.
    public static func json() -> Data {
        (try? JSONSerialization.data(withJSONObject: document(), options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
    }

    /// Every `METHOD path` the document lists under `/v1`, in the table's path syntax.
    public static var documentedRoutes: Set<String> { Set(bodies.keys) }

    static func document() -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for route in PlatformAPI.routes {
            let openAPIPath = "/" + route.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                .joined(separator: "/")
            let parameters: [[String: Any]] = route.path.split(separator: "/").filter { $0.hasPrefix(":") }.map {
                ["name": String($0.dropFirst()), "in": "path", "required": true, "schema": ["type": "string"]]
            } + (queryParameters[route.description] ?? [])
            let body = bodies[route.description] ?? (nil, 200, nil)
            var success: [String: Any] = body.response.map { ["description": "Success.", "content": ["application/json": ["schema": ref($0)]]] }
                ?? ["description": "Done."]
            if let links = linksObject(route) { success["links"] = links }
            var responses: [String: Any] = [
                "\(body.status)": success,
                "401": errorResponse("No, malformed, expired or revoked key (iam.unauthenticated, iam.key_malformed, iam.key_invalid)."),
                "403": errorResponse("The key lacks the route's scope (iam.forbidden)."),
                "404": errorResponse("Not found, or outside the key's tenant or project."),
                "503": errorResponse("Store or audit unavailable; never an allow."),
            ]
            if body.request != nil { responses["400"] = errorResponse("Invalid request or manifest.") }
            var operation: [String: Any] = [
                "operationId": operationID(route), "summary": route.summary, "responses": responses,
                "security": [["bearer": []], ["basic": []]],
                "tags": [String(route.path.split(separator: "/")[1])],
            ]
            if let scope = route.scope { operation["x-required-scope"] = scope }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let request = body.request {
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": ref(request)]]]
            }
            paths[openAPIPath, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        for entry in operations {
            let content: [String: Any] = entry.response.isEmpty
                ? [entry.mediaType: ["schema": ["type": "string"]]]
                : [entry.mediaType: ["schema": ref(entry.response)]]
            var responses: [String: Any] = ["200": ["description": "Success.", "content": content]]
            if entry.path == "/readyz" { responses["503"] = ["description": "Not ready.", "content": content] }
            paths[entry.path] = ["get": ["operationId": "get" + entry.path.filter { $0.isLetter }.capitalized, "summary": entry.summary,
                                         "responses": responses, "tags": ["operations"], "security": [] as [Any]]]
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "platformd API", "version": "1.0.0",
                     "description": "The app-runtime platform's management API. Errors are `{\"error\":{\"code\",\"message\",\"requestId\"}}` with stable codes."],
            "paths": paths,
            "components": ["schemas": OpenAPISchemas.all,
                           "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"], "basic": ["type": "http", "scheme": "basic"]]],
        ]
    }

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    static func errorResponse(_ description: String) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": ref("Error")]]]
    }

    static func operationID(_ route: APIRoute) -> String {
        let words = route.path.split(separator: "/").dropFirst().map { $0.hasPrefix(":") ? "By" + $0.dropFirst().capitalized : $0.capitalized }
        return route.method.rawValue.lowercased() + words.joined().replacingOccurrences(of: "-", with: "")
    }
}

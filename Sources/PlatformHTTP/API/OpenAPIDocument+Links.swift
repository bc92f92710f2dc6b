/// Query and header parameters and OpenAPI links of the `/v1` operations. Documented so that
/// clients and the schemathesis run (`scripts/schemathesis/run.sh`) know them: a parameter
/// the document omits is never fuzzed, and the stateful phase follows only the links it finds
/// (create → read, rotate, revoke, delete of what was created).
extension OpenAPIDocument {
    /// Query (and header) parameters by `METHOD path`; integers carry their bounds so that
    /// boundary values (negative, past `Int64`) are generated too.
    static var queryParameters: [String: [[String: Any]]] {
        [
            "GET /v1/audit/records": [
                query("action", ["type": "string"], "Only records of this action, e.g. `iam.key.create`."),
                query("since", ["type": "string", "format": "date-time"], "Only records at or after this RFC 3339 time."),
                query("after", ["type": "integer", "format": "int64", "minimum": 0], "Only records after this sequence number."),
                query("limit", ["type": "integer", "minimum": 1, "maximum": 1000], "At most this many records (default 100)."),
            ],
            "GET /v1/audit/consistency": [
                query("from", ["type": "integer", "format": "int64", "minimum": 1], "The older tree size (the checkpoint the monitor remembers).", required: true),
                query("to", ["type": "integer", "format": "int64", "minimum": 1], "The newer tree size, at most the log's size.", required: true),
            ],
            "GET /v1/projects/:project/instances/:instance/events": [
                query("after", ["type": "integer", "minimum": 0], "Only events after this sequence number (default 0)."),
                ["name": "Last-Event-ID", "in": "header", "required": false, "schema": ["type": "string"],
                 "description": "Server-Sent Events resume point; used when `after` is absent."],
            ],
            "GET /v1/projects/:project/instances/:instance/logs": [
                query("offset", ["type": "integer", "format": "int64", "minimum": 0], "Byte offset to read from (default 0)."),
            ],
            "GET /v1/projects/:project/connect-sessions": [
                query("instance", ["type": "string"], "Only sessions of this instance."),
            ],
        ]
    }

    static func query(_ name: String, _ schema: [String: Any], _ description: String, required: Bool = false) -> [String: Any] {
        ["name": name, "in": "query", "required": required, "schema": schema, "description": description]
    }

    /// Links from a success response to the operations that take what it created, by
    /// `METHOD path` of the source: target `METHOD path` and its parameters as runtime
    /// expressions on the response body.
    static let links: [String: [(target: String, parameters: [String: String])]] = {
        let tenant = ["tenant": "$response.body#/id"]
        let project = ["project": "$response.body#/id"]
        let projectAccount = ["project": "$response.body#/projectId", "account": "$response.body#/id"]
        let tenantAccount = ["tenant": "$response.body#/tenantId", "account": "$response.body#/id"]
        let key = ["key": "$response.body#/info/id"]
        let signingKey = ["project": "$response.body#/projectId", "key": "$response.body#/id"]
        let instance = ["project": "$response.body#/projectId", "instance": "$response.body#/id"]
        let session = ["project": "$response.body#/projectId", "session": "$response.body#/id"]
        let digest = ["project": "$response.body#/projectId", "digest": "$response.body#/digest"]
        let instanceRoutes = ["GET /v1/projects/:project/instances/:instance", "GET /v1/projects/:project/instances/:instance/events",
                              "GET /v1/projects/:project/instances/:instance/logs", "GET /v1/projects/:project/instances/:instance/usage",
                              "POST /v1/projects/:project/instances/:instance/connect", "POST /v1/projects/:project/instances/:instance/stop",
                              "DELETE /v1/projects/:project/instances/:instance"]
        let projectRoutes = ["GET /v1/projects/:project/serviceaccounts", "POST /v1/projects/:project/serviceaccounts",
                             "GET /v1/projects/:project/apps", "POST /v1/projects/:project/apps", "GET /v1/projects/:project/signingkeys",
                             "POST /v1/projects/:project/signingkeys", "GET /v1/projects/:project/artifacts",
                             "GET /v1/projects/:project/instances", "POST /v1/projects/:project/instances",
                             "GET /v1/projects/:project/connect-sessions"]
        return [
            "POST /v1/tenants": ["GET /v1/tenants/:tenant/projects", "POST /v1/tenants/:tenant/projects",
                                 "GET /v1/tenants/:tenant/serviceaccounts", "POST /v1/tenants/:tenant/serviceaccounts"].map { ($0, tenant) },
            "POST /v1/tenants/:tenant/projects": projectRoutes.map { ($0, project) },
            "POST /v1/tenants/:tenant/serviceaccounts": [("DELETE /v1/tenants/:tenant/serviceaccounts/:account", tenantAccount)],
            "POST /v1/projects/:project/serviceaccounts": [("DELETE /v1/projects/:project/serviceaccounts/:account", projectAccount)],
            "POST /v1/projects/:project/apps": [("GET /v1/projects/:project/apps/:app",
                                                 ["project": "$response.body#/projectId", "app": "$response.body#/name"])],
            "POST /v1/keys": [("POST /v1/keys/:key/rotate", key), ("POST /v1/keys/:key/revoke", key)],
            "POST /v1/keys/:key/rotate": [("POST /v1/keys/:key/rotate", key), ("POST /v1/keys/:key/revoke", key)],
            "POST /v1/projects/:project/signingkeys": [("POST /v1/projects/:project/signingkeys/:key/rotate", signingKey),
                                                       ("POST /v1/projects/:project/signingkeys/:key/revoke", signingKey)],
            "POST /v1/projects/:project/signingkeys/:key/rotate": [("POST /v1/projects/:project/signingkeys/:key/rotate", signingKey),
                                                                   ("POST /v1/projects/:project/signingkeys/:key/revoke", signingKey)],
            "GET /v1/projects/:project/artifacts/:digest": [("POST /v1/projects/:project/artifacts/:digest/promote", digest)],
            "POST /v1/projects/:project/instances": instanceRoutes.map { ($0, instance) },
            "POST /v1/projects/:project/instances/:instance/connect": [
                ("POST /v1/projects/:project/connect-sessions/:session/refresh", session),
                ("DELETE /v1/projects/:project/connect-sessions/:session", session)],
        ]
    }()

    /// The `links` object of a route's success response, or `nil` when it has none.
    static func linksObject(_ route: APIRoute) -> [String: Any]? {
        guard let targets = links[route.description] else { return nil }
        var object: [String: Any] = [:]
        for target in targets {
            guard let route = PlatformAPI.routes.first(where: { $0.description == target.target }) else { continue }
            let id = operationID(route)
            object[id] = ["operationId": id, "parameters": target.parameters]
        }
        return object.isEmpty ? nil : object
    }
}

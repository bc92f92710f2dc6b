import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PlatformContracts
import PlatformServer
import PlatformTestKit
import Testing

/// The database backends the IAM and audit tests run on.
enum ServerBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var enabled: [ServerBackend] { PostgresServer.isEnabled ? [.sqlite, .postgres] : [.sqlite] }

    /// `nil` for the embedded SQLite, a fresh database URL for PostgreSQL.
    func databaseURL() async throws -> String? {
        switch self {
        case .sqlite: nil
        case .postgres: try await PostgresServer.shared.makeDatabase()
        }
    }
}

/// A live server with its bootstrap admin key.
struct IAMFixture: Sendable {
    let client: any TestClientProtocol
    let server: PlatformServer
    let adminKey: String

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let body: Data
        func json<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: body) }
        var errorCode: String? { (try? JSONDecoder().decode(ErrorBody.self, from: body))?.error.code.rawValue }
    }

    struct ErrorBody: Decodable {
        struct Payload: Decodable { var code: ErrorCode }
        var error: Payload
    }

    /// Sends a request with a Bearer key and an optional JSON body.
    func call(_ method: HTTPRequest.Method, _ path: String, key: String?, body: [String: any Sendable]? = nil,
              headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let key { headers[.authorization] = "Bearer \(key)" }
        var buffer: ByteBuffer?
        if let body {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: buffer) { response in
            Reply(status: response.status, body: Data(response.body.readableBytesView))
        }
    }

    /// Calls and requires a 2xx, decoding the answer.
    func ok<T: Decodable>(_ method: HTTPRequest.Method, _ path: String, key: String?, body: [String: any Sendable]? = nil,
                          as type: T.Type) async throws -> T {
        let reply = try await call(method, path, key: key, body: body)
        guard (200..<300).contains(reply.status.code) else {
            Issue.record("\(method) \(path) answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
            throw CancellationError()
        }
        return try reply.json(T.self)
    }

    /// A tenant, a project in it and a service account with `role` and a key with `scopes`.
    func makeProject(tenant: String, project: String, account: String, role: String = "project-admin",
                     scopes: [String]? = nil) async throws -> (Tenant, Project, ServiceAccount, IssuedKey) {
        let existing = try await ok(.get, "/v1/tenants", key: adminKey, as: [Tenant].self).first { $0.name == tenant }
        let tenantValue: Tenant
        if let existing {
            tenantValue = existing
        } else {
            tenantValue = try await ok(.post, "/v1/tenants", key: adminKey, body: ["name": tenant], as: Tenant.self)
        }
        let projectValue = try await ok(.post, "/v1/tenants/\(tenantValue.id)/projects", key: adminKey, body: ["name": project], as: Project.self)
        let accountValue = try await ok(
            .post, "/v1/projects/\(projectValue.id)/serviceaccounts", key: adminKey, body: ["name": account, "role": role],
            as: ServiceAccount.self)
        let roleScopes = scopes ?? RoleScopes.of(role)
        let key = try await ok(
            .post, "/v1/keys", key: adminKey,
            body: ["serviceAccount": accountValue.id, "scopes": roleScopes, "expiresInSeconds": 86_400], as: IssuedKey.self)
        return (tenantValue, projectValue, accountValue, key)
    }
}

enum RoleScopes {
    static func of(_ role: String) -> [String] {
        switch role {
        case "project-admin":
            ["iam:tenant:read", "iam:project:read", "iam:serviceaccount:create", "iam:serviceaccount:read",
             "iam:serviceaccount:delete", "iam:key:create", "iam:key:read", "iam:key:rotate", "iam:key:revoke",
             "audit:log:read", "apps:catalog:register", "apps:catalog:read",
             "apps:instance:launch", "apps:instance:read", "apps:instance:connect",
             "artifacts:repository:pull", "artifacts:repository:push", "artifacts:repository:delete",
             "artifacts:signingkey:read", "artifacts:signingkey:manage", "artifacts:trust:promote", "apps:node:read",
             "policy:read", "notifications:feed:read", "notifications:preference:write", "notifications:webhook:manage",
             "usage:read", "billing:budget:write", "release:read", "release:write", "release:approve",
             "apps:instance:exec", "apps:volume:read", "apps:volume:manage", "secrets:secret:read", "secrets:secret:write"]
        default: ["iam:project:read", "apps:instance:launch"]
        }
    }
}

/// Boots a live server on `backend` and hands the fixture to `body`.
func withIAMServer(_ backend: ServerBackend, _ body: @escaping @Sendable (IAMFixture) async throws -> Void) async throws {
    let url = try await backend.databaseURL()
    try await withTemporaryDirectory { directory async throws in
        try await withLiveServer(directory, databaseURL: url) { client, server async throws in
            let key = try String(contentsOf: server.bootstrapKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            // The live client's one connection is open, and the server closes a connection whose
            // first request head has not arrived within the request-head timeout (10 s). A body
            // that first works on the services directly (AuditConsistencyTests records and
            // checkpoints) can take that long on a loaded CI machine, so a first request goes
            // now; after it only the 60 s idle timeout applies.
            try await client.execute(uri: "/livez", method: .get)
            try await body(IAMFixture(client: client, server: server, adminKey: key))
        }
    }
}


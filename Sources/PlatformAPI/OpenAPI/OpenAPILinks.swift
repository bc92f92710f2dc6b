/// OpenAPI `links` from a success response to the operations that take what it returned.
/// Clients read them, and the stateful schemathesis phase (scripts/schemathesis/run.sh)
/// follows only the links it finds (create → read, rotate, revoke, delete of what was
/// created). Keyed by ``Operation`` and ``PathParameter``: a renamed operation or parameter
/// does not compile, and a test checks each link names exactly its target's path parameters
/// and points into a property the source's response schema has.
public struct OpenAPILink: Sendable {
    /// The operation the link leads to.
    public let target: Operation
    /// Each of the target's path parameters and the response field that fills it.
    public let parameters: [PathParameter: ResponseField]

    /// Creates a link.
    public init(_ target: Operation, _ parameters: [PathParameter: ResponseField]) {
        self.target = target
        self.parameters = parameters
    }
}

/// A field of a response body, as a JSON Pointer below `$response.body`.
public struct ResponseField: Sendable, Hashable {
    /// The pointer's segments (`["info", "id"]` for `/info/id`).
    public let path: [String]

    /// A field by its segments.
    public init(_ path: String...) { self.path = path }

    /// `$response.body#/info/id`.
    public var expression: String { "$response.body#/" + path.joined(separator: "/") }

    static let id = ResponseField("id")
    static let projectId = ResponseField("projectId")
    static let tenantId = ResponseField("tenantId")
    static let name = ResponseField("name")
    static let digest = ResponseField("digest")
}

extension OpenAPIDocument {
    /// The links of each operation's success response.
    public static let links: [Operation: [OpenAPILink]] = {
        let tenant: [PathParameter: ResponseField] = [.tenant: .id]
        let project: [PathParameter: ResponseField] = [.project: .id]
        let key: [PathParameter: ResponseField] = [.key: ResponseField("info", "id")]
        let signingKey: [PathParameter: ResponseField] = [.project: .projectId, .key: .id]
        let instance: [PathParameter: ResponseField] = [.project: .projectId, .instance: .id]
        let session: [PathParameter: ResponseField] = [.project: .projectId, .session: .id]
        let keyTargets: [Operation] = [.rotateKey, .revokeKey]
        let signingKeyTargets: [Operation] = [.rotateSigningKey, .revokeSigningKey]
        return [
            .createTenant: [Operation.listProjects, .createProject, .listTenantServiceAccounts, .createTenantServiceAccount]
                .map { OpenAPILink($0, tenant) },
            .createProject: [Operation.listServiceAccounts, .createServiceAccount, .listApps, .registerApp, .listSigningKeys,
                             .registerSigningKey, .listArtifacts, .listInstances, .launchInstance, .listConnectSessions]
                .map { OpenAPILink($0, project) },
            .createTenantServiceAccount: [OpenAPILink(.deleteTenantServiceAccount, [.tenant: .tenantId, .account: .id])],
            .createServiceAccount: [OpenAPILink(.deleteServiceAccount, [.project: .projectId, .account: .id])],
            .registerApp: [OpenAPILink(.listAppVersions, [.project: .projectId, .app: .name])],
            .createKey: keyTargets.map { OpenAPILink($0, key) },
            .rotateKey: keyTargets.map { OpenAPILink($0, key) },
            .registerSigningKey: signingKeyTargets.map { OpenAPILink($0, signingKey) },
            .rotateSigningKey: signingKeyTargets.map { OpenAPILink($0, signingKey) },
            .getArtifact: [OpenAPILink(.promoteArtifact, [.project: .projectId, .digest: .digest])],
            .launchInstance: [Operation.getInstance, .listInstanceEvents, .readInstanceLogs, .getInstanceUsage, .connectInstance,
                              .stopInstance, .deleteInstance].map { OpenAPILink($0, instance) },
            .connectInstance: [OpenAPILink(.refreshConnectSession, session), OpenAPILink(.revokeConnectSession, session)],
        ]
    }()

    /// The `links` object of `operation`'s success response, `nil` when it has none.
    static func linksObject(_ operation: Operation) -> [String: Any]? {
        guard let links = links[operation], !links.isEmpty else { return nil }
        var object: [String: Any] = [:]
        for link in links {
            object[link.target.rawValue] = [
                "operationId": link.target.rawValue,
                "parameters": Dictionary(uniqueKeysWithValues: link.parameters.map { ($0.key.rawValue, $0.value.expression) }),
            ]
        }
        return object
    }
}

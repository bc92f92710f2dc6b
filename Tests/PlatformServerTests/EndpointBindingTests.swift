import AppPlatform
import ArtifactRegistry
import Foundation
import HTTPTypes
import PlatformAPI
import PlatformContracts
import PlatformHTTP
import PlatformServer
import RegistryService
import SecretsService
import Testing

/// Issue 17: the `/v1` handlers are bound to PlatformAPI's typed endpoints by one exhaustive
/// switch. The compiler checks that each handler has its endpoint's types; these tests check
/// what it cannot: that each operation's case binds that operation's endpoint (two endpoints
/// may share their types), and that the live router answers exactly the endpoints of the table.
@Suite("/v1 endpoints bound to their handlers")
struct EndpointBindingTests {
    @Test func everyOperationIsBoundToItsOwnEndpoint() async throws {
        try await withIAMServer(.sqlite) { iam in
            let server = iam.server
            let registries = try RegistryFiles.at(AuthorizationCountTests.checkout.appendingPathComponent("manifests/platform"),
                                                  setting: "the checkout")
            let set = try RegistrySet.load(registries)
            let catalog = AppCatalog(store: server.store, audit: server.audit, validator: try registries.manifestValidator(set),
                                     registryVersions: set.versions)
            let routes = V1Routes(
                identity: server.identity, audit: server.audit, catalog: catalog,
                keys: SigningKeyStore(store: server.store, audit: server.audit), ledger: server.ledger, inventory: server.inventory,
                instances: server.instances, connect: server.connect, notifications: UnusedNotificationInbox(), policy: ReadOnlyPolicy(set.policies),
                registries: { _ in nil })
            let bound = try routes.bindings().map(\.endpoint)
            #expect(bound.map(\.operation) == Endpoints.all.map(\.operation))
            for (binding, endpoint) in zip(bound, Endpoints.all) {
                #expect(binding.signature == endpoint.signature, "\(endpoint.operation) is bound to \(binding.signature)")
                #expect(binding.scope == endpoint.scope && binding.successStatus == endpoint.successStatus, "\(endpoint.operation)")
            }
        }
    }

    @Test func theRouterAnswersEveryEndpointOfTheTableAndNoOtherMethod() async throws {
        try await withIAMServer(.sqlite) { iam in
            for endpoint in Endpoints.all {
                // Any value fills a parameter: authentication comes first.
                let path = endpoint.path.path { _ in "01ARZ3NDEKTSV4RRFFQ69G5FAV" }
                let reply = try await iam.call(endpoint.method, path, key: nil)
                // Routed: the authentication middleware of the /v1 group answered.
                #expect(reply.status == .unauthorized && reply.errorCode == "iam.unauthenticated",
                        "\(endpoint.signature) → \(reply.status) \(reply.errorCode ?? "")")
                // A method the table does not list for this path is not routed to any handler.
                let listed = Set(Endpoints.all.filter { $0.path == endpoint.path }.map(\.method))
                for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] where !listed.contains(method) {
                    let other = try await iam.call(method, path, key: nil)
                    #expect(other.status != .unauthorized, "\(method) \(endpoint.path) is routed but not in the table")
                }
            }
        }
    }

    @Test func anUnknownTrustStateIsRefusedNamingTheStates() async throws {
        try await withIAMServer(.sqlite) { iam in
            let (_, project, _, key) = try await iam.makeProject(tenant: "acme", project: "p1", account: "dev", role: "project-admin")
            let digest = "sha256:" + String(repeating: "0", count: 64)
            let path = Endpoints.promoteArtifact.path(.init(project: project.id, digest))
            let reply = try await iam.call(.post, path, key: key.key, body: ["to": "golden"])
            let text = String(decoding: reply.body, as: UTF8.self)
            #expect(reply.status == .badRequest && reply.errorCode == "http.bad_request", "\(text)")
            #expect(text.contains("unknown trust state golden") && text.contains("promoted:staging"), "\(text)")
        }
    }

    @Test func aConnectRefreshWithoutBodyIsNotRefusedAsMalformed() async throws {
        try await withIAMServer(.sqlite) { iam in
            let (_, project, _, key) = try await iam.makeProject(tenant: "acme", project: "p1", account: "dev", role: "project-admin")
            let path = Endpoints.refreshConnectSession.path(.init(project: project.id, "01ARZ3NDEKTSV4RRFFQ69G5FAV"))
            let empty = try await iam.call(.post, path, key: key.key)
            // Past the body: the session does not exist.
            #expect(empty.status == .notFound, "\(String(decoding: empty.body, as: UTF8.self))")
            let malformed = try await iam.call(.post, path, key: key.key, body: ["ttlSeconds": "soon"])
            #expect(malformed.status == .badRequest && malformed.errorCode == "http.bad_request")
        }
    }
}

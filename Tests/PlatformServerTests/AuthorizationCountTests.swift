import AppPlatform
import ArtifactRegistry
import AuditService
import Foundation
import Hummingbird
import HummingbirdTesting
import IAMService
import InMemoryRuntimeAdapter
import Logging
import MeteringService
import NIOCore
import PlatformContracts
import PlatformHTTP
import PlatformServer
import PlatformTestKit
import RegistryService
import RuntimeKit
import SecretsService
import Synchronization
import Testing

/// Issue 16.6: a request asks IAM each question once. A launch used to look its project up
/// four times (route, launch, catalog, trust ledger) and check scopes twice (route, admission).
@Suite("IAM calls per request")
struct AuthorizationCountTests {
    /// Counts what product code and the edge ask of IAM, then asks the real authorizer.
    final class SpyAuthorizer: Authorizer {
        struct Counts: Equatable, CustomStringConvertible {
            var authenticate = 0, authorize = 0, project = 0
            var description: String { "authenticate \(authenticate), authorize \(authorize), project \(project)" }
        }

        let real: any Authorizer
        let counts = Mutex(Counts())

        init(_ real: any Authorizer) { self.real = real }

        func authenticate(keyText: String) async throws -> Caller {
            counts.withLock { $0.authenticate += 1 }
            return try await real.authenticate(keyText: keyText)
        }

        func authorize(_ caller: Caller) async throws -> Grants {
            counts.withLock { $0.authorize += 1 }
            return try await real.authorize(caller)
        }

        func project(_ id: String, visibleTo caller: Caller) async throws -> Project {
            counts.withLock { $0.project += 1 }
            return try await real.project(id, visibleTo: caller)
        }

        /// The counts so far, set back to zero.
        func take() -> Counts { counts.withLock { counts in defer { counts = Counts() }; return counts } }
    }

    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `hello` as the onboarding track registers it, with a launch scope in `access.launchScopes`
    /// (a scope beyond the route's), trusted once pushed, on the in-memory twin named `local`.
    static func manifest() throws -> String {
        try String(contentsOf: checkout.appendingPathComponent("manifests/apps/hello.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "requiredTrust: verified", with: "requiredTrust: registered")
    }

    @Test func oneLaunchAsksIAMOnceForTheCallerOnceForItsScopesAndOnceForTheProject() async throws {
        try await withIAMServer(.sqlite) { iam in
            let server = iam.server
            let (_, project, _, key) = try await iam.makeProject(tenant: "acme", project: "p1", account: "dev", role: "project-admin")
            let registry = RegistryFixture(iam: iam, key: key.key, repository: "\(project.id.lowercased())/hello", project: project)
            _ = try await registry.pushImage(tag: "1.0.0")
            _ = try await iam.ok(.post, "/v1/projects/\(project.id)/apps", key: key.key,
                                 body: ["file": "hello.yaml", "manifest": try Self.manifest()], as: AppVersion.self)

            // The product services of the composition root, over the server's store, with the spy as their authorizer.
            let spy = SpyAuthorizer(server.identity.authorizer)
            let registries = try RegistryFiles.at(Self.checkout.appendingPathComponent("manifests/platform"), setting: "the checkout")
            let set = try RegistrySet.load(registries)
            let validator = try registries.manifestValidator(set)
            let catalog = AppCatalog(store: server.store, audit: server.audit, validator: validator,
                                     registryVersions: set.versions)
            let keys = SigningKeyStore(store: server.store, audit: server.audit)
            let ledger = TrustLedger(store: server.store, blobs: server.blobs, keys: keys, identity: spy, audit: server.audit,
                                     types: set.artifactTypes, evidencePredicates: set.evidencePredicates)
            let oci = OCIRegistry(store: server.store, blobs: server.blobs, uploads: server.uploads, identity: spy, audit: server.audit, ledger: ledger)
            var settings = InstanceService.Settings()
            settings.environments = ["development": .registered]
            settings.defaultEnvironment = "development"
            let twin = InMemoryRuntimeAdapter(runtime: InMemoryRuntime(clock: SystemClock()), name: "local")
            let instances = InstanceService(
                store: server.store, identity: spy, audit: server.audit, catalog: catalog, validator: validator, registry: oci,
                ledger: ledger, adapters: [twin], usage: UsageEventLog(store: server.store, units: set.usageUnits, lateWindow: .seconds(72 * 3600)),
                policy: FixedPolicyEvaluator(PolicySnapshot(id: "01JAUTHC0UNTP0L1CY00000000", version: 1, createdAt: .now(),
                                                            definitions: set.policies.definitions, plans: set.policies.plansByID,
                                                            defaultPlan: "plan.standard")),
                spend: ScriptedSpendGuard(), settings: settings,
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            let routes = V1Routes(
                identity: server.identity, audit: server.audit, catalog: catalog, keys: keys, ledger: ledger,
                inventory: server.inventory, instances: instances, connect: server.connect, notifications: UnusedNotificationInbox(), policy: ReadOnlyPolicy(set.policies),
                registries: { _ in nil })
            let router = Router(context: PlatformRequestContext.self)
            router.addMiddleware {
                RequestIDMiddleware()
                ErrorMiddleware()
            }
            try SecuredRouter(identity: spy, audit: server.audit, metrics: server.metrics).register(routes, on: router)

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await instances.run() }
                try await Application(router: router).test(.router) { client in
                    var headers = HTTPFields()
                    headers[.authorization] = "Bearer \(key.key)"
                    headers[.contentType] = "application/json"
                    _ = spy.take()
                    let status = try await client.execute(
                        uri: "/v1/projects/\(project.id)/instances", method: .post, headers: headers,
                        body: ByteBuffer(string: #"{"app":"hello"}"#)) { response in
                        #expect(response.status == .created, "\(String(buffer: response.body))")
                        return response.status
                    }
                    let counts = spy.take()
                    #expect(status == .created)
                    #expect(counts == SpyAuthorizer.Counts(authenticate: 1, authorize: 1, project: 1), "one launch asked IAM: \(counts)")
                }
                group.cancelAll()
            }
        }
    }
}

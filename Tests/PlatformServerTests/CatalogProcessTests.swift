import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The platform-wide curated catalog end to end, through public contracts only (the HTTP API
/// and the real `appctl` against the real `platformd` with runc): the platform's own tenant
/// publishes gpu-echo with `examples/gpu-echo/publish.sh` into its project `platform/catalog`,
/// platform control publishes it into the catalog, and a second tenant that registered and
/// pushed nothing lists it and launches it into its own project to ready. A developer cannot
/// publish; a deprecated version is refused with its message.
@Suite("Platform catalog end to end (real platformd, runc)", .serialized, .tags(.integration))
struct CatalogProcessTests {
    struct Created: Decodable { var id: String }

    /// Creates a service account (`path`) with `role` and a key holding `scopes`; the admin key asks.
    static func key(_ admin: RegistryProcessTests.Daemon, account path: String, name: String, role: String,
                    scopes: [String]) async throws -> String {
        let (status, _, body) = try await admin.call(.POST, path, body: Data(#"{"name":"\#(name)","role":"\#(role)"}"#.utf8))
        try #require(status == 201, "\(path): \(status) \(String(decoding: body, as: UTF8.self))")
        let account = try JSONDecoder().decode(Created.self, from: body)
        let request = try JSONEncoder().encode(KeyRequest(serviceAccount: account.id, scopes: scopes, expiresInSeconds: 86_400))
        let (keyStatus, _, keyBody) = try await admin.call(.POST, "/v1/keys", body: request)
        try #require(keyStatus == 201, "key: \(keyStatus) \(String(decoding: keyBody, as: UTF8.self))")
        return try JSONDecoder().decode(IssuedKey.self, from: keyBody).key
    }

    static func acting(_ daemon: RegistryProcessTests.Daemon, key: String) -> RegistryProcessTests.Daemon {
        RegistryProcessTests.Daemon(process: daemon.process, base: daemon.base, port: daemon.port, key: key)
    }

    @Test("platform control publishes gpu-echo; a second tenant with no apps lists it, launches it to ready and connects through the proxy; a deprecated version is refused")
    func secondTenantLaunchesACatalogApp() async throws {
        try await withTemporaryDirectory { directory async throws in
            let admin = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0)
            do {
                // The platform's own tenant and project: its developers build, sign and promote there, as anywhere.
                let platform = try JSONDecoder().decode(Created.self, from: try await admin.call(.POST, "/v1/tenants", body: Data(#"{"name":"platform"}"#.utf8)).2)
                let catalog = try JSONDecoder().decode(Created.self, from: try await admin.call(
                    .POST, "/v1/tenants/\(platform.id)/projects", body: Data(#"{"name":"catalog"}"#.utf8)).2)
                let publisher = InstanceProcessTests.Session(daemon: admin, project: catalog.id, directory: directory, cluster: nil)
                try await publisher.publishReferenceApp(["--to", "staging"])

                // Platform control curates (it holds no signing scope); the default source project is platform/catalog.
                let curatorKey = try await Self.key(admin, account: "/v1/serviceaccounts", name: "curator", role: "platform-control",
                                                    scopes: ["iam:project:read", "apps:catalog:read", "apps:catalog:publish"])
                let curator = InstanceProcessTests.Session(daemon: Self.acting(admin, key: curatorKey), project: catalog.id, directory: directory,
                                                           cluster: nil)
                let (published, publishOutput) = try await curator.appctl(["catalog", "publish", "gpu-echo", "1.0.0", "-o", "json"],
                                                                          log: "catalog-publish.log")
                #expect(published == 0, "\(publishOutput)")
                let entry = try JSONDecoder().decode(CatalogEntry.self, from: Data(publishOutput.utf8))
                #expect(entry.sourceProjectId == catalog.id && entry.repository == "\(catalog.id.lowercased())/gpu-echo")
                #expect(entry.trustAtPublish == "promoted:staging", "\(entry)")

                // A second tenant: a developer who registered and pushed nothing.
                let beta = try JSONDecoder().decode(Created.self, from: try await admin.call(.POST, "/v1/tenants", body: Data(#"{"name":"beta"}"#.utf8)).2)
                let lab = try JSONDecoder().decode(Created.self, from: try await admin.call(
                    .POST, "/v1/tenants/\(beta.id)/projects", body: Data(#"{"name":"lab"}"#.utf8)).2)
                let developerKey = try await Self.key(
                    admin, account: "/v1/projects/\(lab.id)/serviceaccounts", name: "dev", role: "developer",
                    scopes: ["iam:project:read", "apps:catalog:read", "apps:catalog:register", "apps:instance:launch", "apps:instance:read",
                             "apps:instance:connect"])
                let developerDaemon = Self.acting(admin, key: developerKey)
                let developer = InstanceProcessTests.Session(daemon: developerDaemon, project: lab.id, directory: directory, cluster: nil)

                // A developer cannot publish into the catalog (apps:catalog:publish is platform control's).
                InstanceProcessTests.expectError(
                    try await developerDaemon.call(.POST, "/v1/projects/\(lab.id)/catalog", body: Data(#"{"app":"gpu-echo","version":"1.0.0"}"#.utf8)),
                    403, "iam.forbidden", "a developer publishing")

                let (_, ownApps) = try await developer.json([AppVersion].self, .GET, "/v1/projects/\(lab.id)/apps")
                #expect(ownApps?.isEmpty == true, "the second tenant registered nothing")
                let (listed, listOutput) = try await developer.appctl(["app", "list", "--catalog"], log: "catalog-list.log")
                #expect(listed == 0 && listOutput.contains("gpu-echo") && listOutput.contains("1.0.0") && listOutput.contains("current"),
                        "\(listOutput)")

                let (launched, launchOutput) = try await developer.appctl(
                    ["launch", "gpu-echo", "--project", "beta/lab", "--adapter", "local", "--environment", "staging", "--wait", "-o", "json"],
                    log: "catalog-launch.log")
                #expect(launched == 0, "\(launchOutput)")
                let (_, instances) = try await developer.json([InstanceRecord].self, .GET, "/v1/projects/\(lab.id)/instances")
                let instance = try #require(instances?.first, "no instance in the second tenant's project")
                #expect(instance.phase == .ready && instance.projectId == lab.id, "\(instance)")
                #expect(instance.image == "\(entry.repository)@\(entry.imageDigest)", "\(instance.image)")
                let url = try #require(instance.endpoints.first { $0.name == "http" }?.url)
                let reply = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/cgi-bin/gpus"), timeout: .seconds(10))
                let text = String(buffer: try await reply.body.collect(upTo: 1 << 16))
                #expect(text.contains(instance.id), "\(text)")
                // Connect reads the catalog's manifest for the instance's actions: the web URL works through the proxy.
                let (printed, printedURL) = try await developer.appctl(["connect", instance.id, "--project", "beta/lab", "--print-url"],
                                                                       log: "catalog-connect.log")
                #expect(printed == 0, "\(printedURL)")
                let noRedirects = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
                let redirect = try await noRedirects.execute(HTTPClientRequest(url: printedURL.trimmingCharacters(in: .whitespacesAndNewlines)),
                                                             timeout: .seconds(10))
                let cookie = redirect.headers.first(name: "Set-Cookie")?.split(separator: ";").first.map(String.init) ?? ""
                var proxied = HTTPClientRequest(url: admin.base + "/i/\(instance.id)/open/cgi-bin/gpus")
                proxied.headers.add(name: "Cookie", value: cookie)
                let throughProxy = try await noRedirects.execute(proxied, timeout: .seconds(10))
                let proxiedText = String(buffer: try await throughProxy.body.collect(upTo: 1 << 16))
                try await noRedirects.shutdown()
                #expect(redirect.status == .seeOther && throughProxy.status == .ok && proxiedText.contains(instance.id),
                        "\(redirect.status) \(throughProxy.status) \(proxiedText)")

                // Deprecated: a new launch is refused with the message; the running one is left alone.
                let (deprecated, deprecateOutput) = try await curator.appctl(
                    ["catalog", "deprecate", "gpu-echo", "1.0.0", "--message", "superseded by the CUDA 12 build"], log: "catalog-deprecate.log")
                #expect(deprecated == 0, "\(deprecateOutput)")
                let (refused, refusedOutput) = try await developer.appctl(
                    ["launch", "gpu-echo", "--project", "beta/lab", "--adapter", "local", "--environment", "staging"], log: "catalog-refused.log")
                #expect(refused == 65 && refusedOutput.contains("catalog.version_deprecated")
                        && refusedOutput.contains("superseded by the CUDA 12 build"), "\(refused.map(String.init) ?? "?"): \(refusedOutput)")
                let (_, still) = try await developer.json(InstanceRecord.self, .GET, "/v1/projects/\(lab.id)/instances/\(instance.id)")
                #expect(still?.phase == .ready)

                let (stopStatus, _, _) = try await developerDaemon.call(.POST, "/v1/projects/\(lab.id)/instances/\(instance.id)/stop")
                #expect(stopStatus == 200)
                _ = try await developer.waitFor(instance.id, phases: ["stopped"])
            } catch {
                admin.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                throw error
            }
            admin.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
        }
    }
}

import AppPlatform
import ArtifactRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import IAMService
import InMemoryRuntimeAdapter
import Logging
import MeteringService
import PlatformContracts
import PlatformHTTP
import PlatformServer
import PlatformTestKit
import RegistryService
import RuntimeKit
import SecretsService
import Testing

/// The end user's console pages over a real router: the `/v1` routes and `/console/` of a
/// live server's store, IAM and audit, with instances on the in-memory runtime twin (named
/// `local`) so a launch really runs, stops and records events without runc.
@Suite("Console end-user pages")
struct ConsoleEndUserTests {
    /// `hello` with an enum and a boolean parameter beside its integer and string ones,
    /// trusted once pushed (`registered`), as the launch form's fixture.
    static func manifest() throws -> String {
        try String(contentsOf: checkoutRoot.appendingPathComponent("manifests/apps/hello.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "requiredTrust: verified", with: "requiredTrust: registered")
            .replacingOccurrences(of: """
                  - name: greeting
                    type: string
                    default: Hello
                """, with: """
                  - name: greeting
                    type: string
                    default: Hello
                    description: What the server answers.
                  - name: tone
                    type: string
                    enum: [warm, dry, loud]
                    default: dry
                  - name: verbose
                    type: boolean
                    default: true
                """)
            .replacingOccurrences(of: """
                    protocol: http
                health:
                """, with: """
                    protocol: http
                  - name: echo
                    port: 7000
                    protocol: tcp
                  - name: ssh
                    port: 2222
                    protocol: ssh
                health:
                """)
            .replacingOccurrences(of: """
                    credentialTTLSeconds: 900
                """, with: """
                    credentialTTLSeconds: 900
                  - name: echo
                    type: port-forward
                    endpoint: echo
                  - name: shell
                    type: ssh
                    endpoint: ssh
                """)
    }

    /// What a test gets: the console over the twin router, project A (with `hello`
    /// registered) and its developer's session, and tenant B's developer's session.
    struct World: Sendable {
        let console: ConsoleFixture
        let project: Project
        let developer: ConsoleFixture.Session
        let outsider: ConsoleFixture.Session
    }

    /// A live server to seed (tenants, keys, the pushed image, the registered manifest), then
    /// the router under test over its store.
    func withWorld(catalog: Bool = false, _ body: @escaping @Sendable (World) async throws -> Void) async throws {
        try await withConsole { live in
            if catalog { try await Self.publishGreeter(live) }
            let (_, project, _, key) = try await live.iam.makeProject(tenant: "acme", project: "p1", account: "dev", role: "project-admin")
            let (_, _, _, otherKey) = try await live.iam.makeProject(tenant: "globex", project: "p9", account: "dev", role: "project-admin")
            let registry = RegistryFixture(iam: live.iam, key: key.key, repository: "\(project.id.lowercased())/hello", project: project)
            _ = try await registry.pushImage(tag: "1.0.0")
            _ = try await live.iam.ok(.post, "/v1/projects/\(project.id)/apps", key: key.key,
                                      body: ["file": "hello.yaml", "manifest": try Self.manifest()], as: AppVersion.self)
            let server = live.server
            let (router, instances) = try await Self.router(server)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await instances.run() }
                try await Application(router: router).test(.router) { client in
                    let console = ConsoleFixture(iam: IAMFixture(client: client, server: server, adminKey: live.adminKey))
                    let world = World(console: console, project: project, developer: try await console.signIn(key: key.key),
                                      outsider: try await console.signIn(key: otherKey.key))
                    try await body(world)
                }
                group.cancelAll()
            }
        }
    }

    /// `greeter` (hello under another name, so no tenant's own app shadows it) published into
    /// the platform catalog from a project of the `platform` tenant, by the bootstrap admin.
    static func publishGreeter(_ live: ConsoleFixture) async throws {
        let (_, source, _, key) = try await live.iam.makeProject(tenant: "platform", project: "catalog", account: "publisher", role: "project-admin")
        let registry = RegistryFixture(iam: live.iam, key: key.key, repository: "\(source.id.lowercased())/hello", project: source)
        _ = try await registry.pushImage(tag: "1.0.0")
        _ = try await live.iam.ok(.post, "/v1/projects/\(source.id)/apps", key: key.key,
                                  body: ["file": "greeter.yaml", "manifest": try manifest().replacingOccurrences(of: "name: hello", with: "name: greeter")],
                                  as: AppVersion.self)
        _ = try await live.iam.ok(.post, "/v1/projects/\(source.id)/catalog", key: live.adminKey, body: ["app": "greeter", "version": "1.0.0"],
                                  as: CatalogEntry.self)
    }

    /// `/v1` and `/console/` as `PlatformServer+Router` assembles them, with an instance
    /// service on the in-memory twin whose `development` environment takes `registered` images.
    static func router(_ server: PlatformServer) async throws -> (Router<PlatformRequestContext>, InstanceService) {
        let registries = try RegistryFiles.at(checkoutRoot.appendingPathComponent("manifests/platform"), setting: "the checkout")
        let set = try RegistrySet.load(registries)
        let validator = try registries.manifestValidator(set)
        let catalog = AppCatalog(store: server.store, audit: server.audit, validator: validator, registryVersions: set.versions)
        var settings = InstanceService.Settings()
        settings.environments = ["development": .registered]
        settings.defaultEnvironment = "development"
        settings.pollInterval = .milliseconds(50)
        let twin = InMemoryRuntimeAdapter(runtime: InMemoryRuntime(clock: SystemClock()), name: "local")
        let instances = InstanceService(
            store: server.store, identity: server.identity, audit: server.audit, catalog: catalog, validator: validator, registry: server.registry,
            ledger: server.ledger, adapters: [twin], usage: server.usage,
            policy: FixedPolicyEvaluator(PolicySnapshot(id: "01JC0NS0LEENDUSER000000000", version: 1, createdAt: .now(),
                                                        definitions: set.policies.definitions, plans: set.policies.plansByID,
                                                        defaultPlan: "plan.standard")),
            spend: ScriptedSpendGuard(), settings: settings, logger: quietLogger)
        // Connect over the twin's instances (the server's own connect service follows its own instances).
        let authority = try SSHCertificateAuthority.loadOrCreate(
            at: server.bootstrapKeyFile.deletingLastPathComponent().appendingPathComponent("console-twin-ssh-ca.key"))
        let connect = await ConnectService(store: server.store, identity: server.identity, audit: server.audit, instances: instances,
                                           authority: authority, logger: quietLogger)
        let routes = V1Routes(
            identity: server.identity, audit: server.audit, catalog: catalog, keys: SigningKeyStore(store: server.store, audit: server.audit),
            ledger: server.ledger, inventory: server.inventory, instances: instances, connect: connect,
            notifications: UnusedNotificationInbox(), policy: ReadOnlyPolicy(set.policies), registries: { _ in nil }, usage: server.usage)
        let secured = SecuredRouter(identity: server.identity, audit: server.audit, metrics: server.metrics)
        let router = Router(context: PlatformRequestContext.self)
        router.addMiddleware {
            RequestIDMiddleware()
            ErrorMiddleware()
        }
        try secured.register(routes, on: router)
        try ConsoleRoutes(
            sessions: IAMWebSessions(store: server.store, authorizer: server.identity.authorizer), identity: server.identity,
            audit: server.audit, renderer: ConsoleRenderer.load(from: checkoutRoot.appendingPathComponent("console")),
            secured: secured, routes: routes, secureCookies: false
        ).register(on: router)
        return (router, instances)
    }

    /// The `<…>` tag of the element with `id`, as rendered.
    static func tag(_ id: String, in html: String) -> String? {
        guard let at = html.range(of: "id=\"\(id)\"") else { return nil }
        let start = html[..<at.lowerBound].lastIndex(of: "<")!
        let end = html[at.upperBound...].firstIndex(of: ">")!
        return String(html[start...end])
    }

    /// What axe would flag first, checked on the HTML: one `h1`, unique ids, a `<label for>`
    /// for every visible control, a caption and `th scope` in every table.
    static func expectAccessibleStructure(_ page: ConsoleFixture.Page, _ path: String) {
        let html = page.body
        #expect(html.components(separatedBy: "<h1").count == 2, "\(path): one h1")
        let ids = html.matches(of: /\sid="([^"]+)"/).map { String($0.output.1) }
        #expect(Set(ids).count == ids.count, "\(path): duplicate ids \(Dictionary(grouping: ids) { $0 }.filter { $1.count > 1 }.keys.sorted())")
        for control in html.matches(of: /<(input|select|textarea)\b[^>]*>/) {
            let tag = String(control.output.0)
            guard !tag.contains("type=\"hidden\"") else { continue }
            let id = tag.firstMatch(of: /\sid="([^"]+)"/).map { String($0.output.1) }
            #expect(id.map { html.contains("<label for=\"\($0)\"") } == true, "\(path): \(tag) has no label")
        }
        let tables = html.components(separatedBy: "<table").count - 1
        #expect(html.components(separatedBy: "<caption>").count - 1 == tables, "\(path): every table has a caption")
        #expect(!html.contains("<th>"), "\(path): every th has a scope")
        #expect(!html.contains(">nil<"), "\(path): an absent value renders as nothing, not \"nil\"")
    }

    /// Polls the instance page until its `#phase` reads one of `phases`.
    static func phase(of path: String, in world: World, reaching phases: Set<String>) async throws -> String {
        var phase = ""
        for _ in 0..<100 {
            phase = ConsoleFixture.text(of: "phase", in: try await world.console.get(path, world.developer).body) ?? ""
            if phases.contains(phase) { return phase }
            try await Task.sleep(for: .milliseconds(100))
        }
        return phase
    }

    @Test func theCatalogListsTheProjectsAppWithALaunchLinkForItsNewestVersion() async throws {
        try await withWorld { world in
            for path in ["/console/catalog", "/console/projects/\(world.project.id)/catalog"] {
                let page = try await world.console.get(path, world.developer)
                #expect(page.status == .ok, "\(path): \(page.body.prefix(300))")
                #expect(page.body.contains("id=\"catalog-table\"") && page.body.contains("data-app=\"hello\""), "\(path)")
                let link = Self.tag("launch-hello", in: page.body)
                #expect(link?.contains("href=\"/console/projects/\(world.project.id)/apps/hello/1.0.0/launch\"") == true, "\(path): \(link ?? "no link")")
            }
        }
    }

    @Test func theLaunchFormHasOneControlPerParamWithTheManifestsTypesDefaultsAndEnum() async throws {
        try await withWorld { world in
            let page = try await world.console.get("/console/projects/\(world.project.id)/apps/hello/1.0.0/launch", world.developer)
            #expect(page.status == .ok, "\(page.body.prefix(400))")
            #expect(page.body.contains("id=\"launch-form\"") && page.body.contains("id=\"launch\""))
            let port = try #require(Self.tag("param-port", in: page.body))
            #expect(port.contains("type=\"number\"") && port.contains("name=\"param.port\"") && port.contains("value=\"8080\""), "\(port)")
            let greeting = try #require(Self.tag("param-greeting", in: page.body))
            #expect(greeting.contains("type=\"text\"") && greeting.contains("value=\"Hello\"") && greeting.contains("aria-describedby=\"hint-greeting\""))
            #expect(ConsoleFixture.text(of: "hint-greeting", in: page.body)?.hasPrefix("What the server answers.") == true)
            let tone = try #require(Self.tag("param-tone", in: page.body))
            #expect(tone.hasPrefix("<select"), "\(tone)")
            for option in ["warm", "loud"] { #expect(page.body.contains("<option value=\"\(option)\">\(option)</option>")) }
            #expect(page.body.contains("<option value=\"dry\" selected>dry</option>"), "the enum's default is preselected")
            let verbose = try #require(Self.tag("param-verbose", in: page.body))
            #expect(verbose.contains("type=\"checkbox\"") && verbose.contains(" checked"), "\(verbose)")
            for id in ["param-port", "param-greeting", "param-tone", "param-verbose"] {
                #expect(page.body.contains("<label for=\"\(id)\">"), "\(id) has a label")
            }
            #expect(page.body.components(separatedBy: "<h1").count == 2, "one h1")
        }
    }

    @Test func aBadParamValueShowsTheFormAgainWithTheAPIsMessageAtTheField() async throws {
        try await withWorld { world in
            let path = "/console/projects/\(world.project.id)/apps/hello/1.0.0/launch"
            let page = try await world.console.post(path, ["param.port": "eighty", "param.greeting": "Hi there", "param.tone": "warm"], world.developer)
            #expect(page.status == .badRequest, "\(page.body.prefix(400))")
            #expect(page.errorCode == ErrorCode.instanceLaunchInvalid.rawValue)
            let message = try #require(ConsoleFixture.text(of: "error-port", in: page.body))
            #expect(message.contains("parameter port must be integer"), "\(message)")
            #expect(page.body.contains("class=\"field-error\" id=\"error-port\""))
            #expect(Self.tag("param-port", in: page.body)?.contains("aria-invalid=\"true\"") == true)
            // What was posted stays in the form.
            #expect(Self.tag("param-greeting", in: page.body)?.contains("value=\"Hi there\"") == true)
            #expect(page.body.contains("<option value=\"warm\" selected>warm</option>"))
            let instances = try await world.console.get("/console/projects/\(world.project.id)/instances", world.developer)
            #expect(!instances.body.contains("data-instance="), "nothing was launched")
        }
    }

    @Test func launchRedirectsToTheInstancePageWhichConnectsStopsAndListsIt() async throws {
        try await withWorld { world in
            let launch = try await world.console.post(
                "/console/projects/\(world.project.id)/apps/hello/1.0.0/launch",
                ["param.port": "8080", "param.greeting": "Hello", "param.tone": "loud", "param.verbose": "true"], world.developer)
            #expect(launch.status == .seeOther, "\(launch.body.prefix(400))")
            let location = try #require(launch.location)
            #expect(location.hasPrefix("/console/projects/\(world.project.id)/instances/"))
            let id = String(location.split(separator: "/").last!)
            let phase = try await Self.phase(of: location, in: world, reaching: ["ready", "running"])
            #expect(["ready", "running"].contains(phase))

            let page = try await world.console.get(location, world.developer)
            #expect(Self.tag("phase", in: page.body)?.contains("data-phase-of=\"\(id)\"") == true)
            #expect(page.body.contains("data-events=\"\(location)/events\""))
            #expect(page.body.contains("id=\"connect-open\""), "the web action's Connect form")
            // A tunnel or SSH needs appctl on the user's machine: the page gives the exact command.
            #expect(ConsoleFixture.text(of: "command-echo", in: page.body)
                    == "appctl connect \(id) echo --project \(world.project.id) --local-port 0")
            #expect(ConsoleFixture.text(of: "command-shell", in: page.body) == "appctl connect \(id) shell --project \(world.project.id) --ssh")
            #expect(!page.body.contains("id=\"connect-echo\"") && !page.body.contains("id=\"command-open\""))
            #expect(page.body.contains("id=\"stop\"") && page.body.contains("id=\"logs\"") && page.body.contains("id=\"usage-table\""))
            let list = try await world.console.get("/console/instances", world.developer)
            #expect(list.body.contains("data-instance=\"\(id)\"") && list.body.contains("data-phase-of=\"\(id)\""))

            for path in ["/console/usage", "/console/projects/\(world.project.id)/usage"] {
                let usage = try await world.console.get(path, world.developer)
                #expect(usage.status == .ok && usage.body.contains("id=\"usage-summary\""), "\(path): \(usage.status)")
            }
            let projectUsage = try await world.console.get("/console/projects/\(world.project.id)/usage", world.developer)
            #expect(projectUsage.body.contains("id=\"instance-usage\""), "the project's page has per-instance metering")

            // Connect on a web action: a session, then the proxy's one-time launch URL.
            let connect = try await world.console.post("\(location)/connect/open", [:], world.developer)
            #expect(connect.status == .seeOther, "\(connect.errorCode ?? ""): \(ConsoleFixture.text(of: "error-message", in: connect.body) ?? "")")
            #expect(connect.location?.hasPrefix("/connect/") == true && connect.location?.contains("/launch?code=") == true, "\(connect.location ?? "")")

            let stop = try await world.console.post("\(location)/stop", [:], world.developer)
            #expect(stop.status == .seeOther && stop.location == location, "\(stop.status) \(stop.body.prefix(300))")
            for path in ["/console/catalog", "/console/projects/\(world.project.id)/apps/hello/1.0.0/launch", "/console/instances",
                         "/console/projects/\(world.project.id)/instances", location, "/console/usage", "/console/projects/\(world.project.id)/usage"] {
                Self.expectAccessibleStructure(try await world.console.get(path, world.developer), path)
            }
            let stopped = try await Self.phase(of: location, in: world, reaching: ["stopped"])
            #expect(stopped == "stopped")
            #expect(!(try await world.console.get(location, world.developer)).body.contains("id=\"stop\""), "a stopped instance has no Stop")

            // The stream the page follows is the API's, ending after the terminal phase.
            let events = try await world.console.get("\(location)/events", world.developer)
            #expect(events.status == .ok && events.headers[.contentType] == "text/event-stream")
            #expect(events.body.contains("event: phase") && events.body.contains("\"phase\":\"stopped\""), "\(events.body.prefix(600))")
            let foreign = try await world.console.get("\(location)/events", world.outsider)
            #expect(foreign.status == .notFound, "another tenant's stream: \(foreign.status)")
        }
    }

    @Test func aPlatformCatalogAppLaunchesIntoAProjectTheFormLetsTheUserPick() async throws {
        try await withWorld(catalog: true) { world in
            let catalog = try await world.console.get("/console/catalog", world.developer)
            #expect(catalog.body.contains("data-app=\"greeter\"") && catalog.body.contains("Platform catalog"))
            let link = try #require(Self.tag("launch-greeter", in: catalog.body))
            #expect(link.contains("href=\"/console/catalog/apps/greeter/1.0.0/launch\""), "\(link)")
            let form = try await world.console.get("/console/catalog/apps/greeter/1.0.0/launch", world.developer)
            #expect(form.status == .ok && Self.tag("project", in: form.body)?.hasPrefix("<select") == true, "\(form.body.prefix(300))")
            #expect(form.body.contains("<option value=\"\(world.project.id)\">acme/p1</option>"))
            Self.expectAccessibleStructure(form, "catalog launch")
            let launch = try await world.console.post("/console/catalog/apps/greeter/1.0.0/launch", ["project": world.project.id], world.developer)
            #expect(launch.status == .seeOther, "\(launch.errorCode ?? ""): \(ConsoleFixture.text(of: "error-message", in: launch.body) ?? "")")
            #expect(launch.location?.hasPrefix("/console/projects/\(world.project.id)/instances/") == true)
            // The project page offers the catalog's version for that project.
            let projectCatalog = try await world.console.get("/console/projects/\(world.project.id)/catalog", world.developer)
            #expect(Self.tag("launch-greeter", in: projectCatalog.body)?.contains("/console/projects/\(world.project.id)/apps/greeter/1.0.0/launch") == true)
        }
    }

    @Test func anotherTenantsProjectIsTheErrorPageWithIAMNotFound() async throws {
        try await withWorld { world in
            let project = world.project.id
            for path in ["/console/projects/\(project)/instances", "/console/projects/\(project)/catalog",
                         "/console/projects/\(project)/apps/hello/1.0.0/launch", "/console/projects/\(project)/usage"] {
                let page = try await world.console.get(path, world.outsider)
                #expect(page.status == .notFound, "\(path): \(page.status)")
                #expect(page.errorCode == ErrorCode.iamNotFound.rawValue, "\(path)")
                #expect(!page.body.contains("hello") || path.contains("hello"), "\(path) shows nothing of A")
            }
            let launch = try await world.console.post("/console/projects/\(project)/apps/hello/1.0.0/launch", ["param.port": "1"], world.outsider)
            #expect(launch.status == .notFound && launch.errorCode == ErrorCode.iamNotFound.rawValue)
            let catalog = try await world.console.get("/console/catalog", world.outsider)
            #expect(catalog.status == .ok && !catalog.body.contains("data-app=\"hello\""), "B's catalog does not list A's app")
        }
    }
}

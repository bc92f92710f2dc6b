import AsyncHTTPClient
import Foundation
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// JupyterLab as a user meets it, through public contracts only: the image
/// `examples/jupyter-lab/build-image.sh` builds from real packages, published with
/// `examples/publish.sh`, its token set as a project secret with appctl, launched on the local
/// adapter (runc, read-only root, mapped uid) from `manifests/apps/jupyter-lab.yaml` as it is
/// committed, and used through the connect proxy: a kernel started over Jupyter's REST API runs
/// `1+1` over its WebSocket and answers `2`; a notebook saved in the persistent `home` volume is
/// there again after a stop and a fresh launch. And from the platform catalog: a second tenant
/// that published nothing launches the curated JupyterLab with its own token.
@Suite("JupyterLab contract (real platformd, runc, connect proxy)", .serialized, .tags(.integration, .appImages))
struct JupyterLabContractTests {
    typealias Session = InstanceProcessTests.Session
    static let tag = "4.2.5"

    @Test("JupyterLab: launch, connect, run 1+1 on a kernel over the WebSocket, save a notebook, stop, relaunch and find it")
    func kernelRoundTripAndNotebookSurvivesRelaunch() async throws {
        let layout = try await AppImages.layout("jupyter-lab", tag: Self.tag)
        try await withTemporaryDirectory { directory async throws in
            var daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0)
            do {
                try await daemon.makeProject()
                let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
                try await scenario(Session(daemon: daemon, project: project, directory: directory, cluster: nil), layout: layout)
            } catch {
                daemon.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                throw error
            }
            daemon.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
        }
    }

    func scenario(_ session: Session, layout: URL) async throws {
        let project = session.project
        try await Self.publish(session, layout: layout)

        // The token: a project secret, which the manifest's secrets deliver as JUPYTER_TOKEN
        // (secret:///jupyter-token, the launching project's own).
        let token = (0..<4).map { _ in UUID().uuidString.replacingOccurrences(of: "-", with: "") }.joined().lowercased()
        let tokenFile = session.directory.appending("jupyter-token")
        try Data(token.utf8).write(to: tokenFile)
        let (set, setOutput) = try await session.appctl(["secret", "set", "jupyter-token", "--purpose", "api-token", "--from-file", tokenFile.path,
                                                         "--project", project], log: "secret-set.log")
        try #require(set == 0, "\(setOutput)")

        let first = try await Self.launchReady(session, log: "first")
        let lab = try await Self.connect(session, instance: first, token: token)

        // The proxy and Jupyter each guard the door: no session credential (the proxy answers as
        // for any unknown session, without saying whether the instance exists), no Jupyter token.
        let anonymous = JupyterClient(base: lab.base, credential: "pcs_not-a-session", token: token)
        let (noSession, _) = try await anonymous.call(.GET, "/api/status")
        #expect([401, 403, 404].contains(noSession), "the proxy let a request without a session through: \(noSession)")
        let (noToken, _) = try await JupyterClient(base: lab.base, credential: lab.credential, token: nil).call(.GET, "/api/status")
        #expect(noToken == 403, "Jupyter answered without its token: \(noToken)")
        let (status, statusBody) = try await lab.call(.GET, "/api/status")
        #expect(status == 200, "\(String(decoding: statusBody, as: UTF8.self))")

        // A kernel over the REST API, 1+1 over its WebSocket.
        let kernel = try await lab.startKernel()
        let answer = try await lab.execute("1+1", kernel: kernel)
        #expect(answer == "2", "1+1 gave \(answer)")

        // A notebook in the home volume, then the instance goes.
        let source = "1+1  # saved by \(first)"
        let saved = try await lab.saveNotebook("contract.ipynb", source: source)
        #expect(saved == 201 || saved == 200, "PUT /api/contents/contract.ipynb answered \(saved)")
        try await Self.stop(session, first)

        // A fresh instance, the same persistent volume: the notebook is there.
        let second = try await Self.launchReady(session, log: "second")
        #expect(second != first)
        let again = try await Self.connect(session, instance: second, token: token)
        let sources = try await again.notebookSources("contract.ipynb")
        #expect(sources == [source], "after the relaunch: \(String(describing: sources))")
        let (_, volumesJSON) = try await session.appctl(["volume", "list", "--project", project, "-o", "json"], log: "volumes.log")
        let volumes = (try? JSONDecoder().decode([VolumeRecord].self, from: Data(volumesJSON.utf8))) ?? []
        #expect(volumes.contains { $0.name == "home" && $0.mountedBy == [second] }, "\(volumesJSON)")
        try await Self.stop(session, second)
    }

    @Test("a second tenant that published nothing launches the curated JupyterLab with its own token and runs 1+1 through the proxy")
    func secondTenantLaunchesCuratedJupyterLab() async throws {
        let layout = try await AppImages.layout("jupyter-lab", tag: Self.tag)
        try await withTemporaryDirectory { directory async throws in
            let admin = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0)
            do {
                // The platform's own project publishes the image; platform control curates it.
                let platform = try JSONDecoder().decode(CatalogProcessTests.Created.self, from: try await admin.call(
                    .POST, "/v1/tenants", body: Data(#"{"name":"platform"}"#.utf8)).2)
                let catalog = try JSONDecoder().decode(CatalogProcessTests.Created.self, from: try await admin.call(
                    .POST, "/v1/tenants/\(platform.id)/projects", body: Data(#"{"name":"catalog"}"#.utf8)).2)
                try await Self.publish(Session(daemon: admin, project: catalog.id, directory: directory, cluster: nil), layout: layout)
                let curatorKey = try await CatalogProcessTests.key(admin, account: "/v1/serviceaccounts", name: "curator", role: "platform-control",
                                                                   scopes: ["iam:project:read", "apps:catalog:read", "apps:catalog:publish"])
                let curator = Session(daemon: CatalogProcessTests.acting(admin, key: curatorKey), project: catalog.id, directory: directory, cluster: nil)
                let (published, publishOutput) = try await curator.appctl(["catalog", "publish", "jupyter-lab", Self.tag, "-o", "json"],
                                                                          log: "catalog-publish.log")
                try #require(published == 0, "\(publishOutput)")
                let entry = try JSONDecoder().decode(CatalogEntry.self, from: Data(publishOutput.utf8))

                // A second tenant's developer: no app registered, no image pushed; only its own token.
                let beta = try JSONDecoder().decode(CatalogProcessTests.Created.self, from: try await admin.call(
                    .POST, "/v1/tenants", body: Data(#"{"name":"beta"}"#.utf8)).2)
                let lab = try JSONDecoder().decode(CatalogProcessTests.Created.self, from: try await admin.call(
                    .POST, "/v1/tenants/\(beta.id)/projects", body: Data(#"{"name":"lab"}"#.utf8)).2)
                let developerKey = try await CatalogProcessTests.key(
                    admin, account: "/v1/projects/\(lab.id)/serviceaccounts", name: "dev", role: "developer",
                    scopes: ["iam:project:read", "apps:catalog:read", "apps:instance:launch", "apps:instance:read", "apps:instance:connect",
                             "apps:volume:read", "apps:volume:manage", "secrets:secret:read", "secrets:secret:write"])
                let developer = Session(daemon: CatalogProcessTests.acting(admin, key: developerKey), project: lab.id, directory: directory, cluster: nil)
                let (_, ownApps) = try await developer.json([AppVersion].self, .GET, "/v1/projects/\(lab.id)/apps")
                #expect(ownApps?.isEmpty == true, "the second tenant registered nothing")

                let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                let tokenFile = directory.appending("beta-token")
                try Data(token.utf8).write(to: tokenFile)
                let (set, setOutput) = try await developer.appctl(["secret", "set", "jupyter-token", "--purpose", "api-token", "--from-file",
                                                                   tokenFile.path, "--project", "beta/lab"], log: "beta-secret.log")
                try #require(set == 0, "\(setOutput)")
                let started = ContinuousClock.now
                let (launched, launchOutput) = try await developer.appctl(
                    ["launch", "jupyter-lab", "--project", "beta/lab", "--adapter", "local", "--environment", "staging", "--wait", "-o", "json"],
                    log: "beta-launch.log")
                #expect(launched == 0, "\(launchOutput)")
                let (_, instances) = try await developer.json([InstanceRecord].self, .GET, "/v1/projects/\(lab.id)/instances")
                let instance = try #require(instances?.first, "no instance in the second tenant's project")
                #expect(instance.phase == .ready && instance.projectId == lab.id, "\(instance)")
                #expect(instance.image == "\(entry.repository)@\(entry.imageDigest)", "\(instance.image)")
                print("figure: curated jupyter-lab launch->ready (second tenant, fresh platformd: image not yet unpacked): \(ContinuousClock.now - started)")

                let client = try await Self.connect(developer, instance: instance.id, token: token)
                let answer = try await client.execute("1+1", kernel: try await client.startKernel())
                #expect(answer == "2", "1+1 gave \(answer)")
                try await Self.stop(developer, instance.id)
            } catch {
                admin.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                throw error
            }
            admin.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
        }
    }

    /// `examples/publish.sh --app jupyter-lab --layout LAYOUT`: push, sign, evidence, promote to staging.
    static func publish(_ session: Session, layout: URL) async throws {
        try FileManager.default.createDirectory(at: session.directory.appending("home"), withIntermediateDirectories: true)
        var environment = session.environment
        environment["APPCTL"] = InstanceProcessTests.appctl
        let publish = try ChildProcess("/bin/bash", [
            InstanceProcessTests.root.appendingPathComponent("examples/publish.sh").path, "--app", "jupyter-lab", "--layout", layout.path,
            "--tag", tag, "--project", session.project, "--key", session.directory.appending("signing.pem").path, "--to", "staging",
        ], environment: environment, outputPath: session.directory.appending("publish.log").path)
        try #require(await publish.wait(timeout: .seconds(600)) == 0, "\(publish.output.suffix(6000))")
    }

    /// Launches the committed manifest into staging on local and waits until its readiness
    /// probe passes; prints the time from the launch call to ready (the issue's figure).
    static func launchReady(_ session: Session, log: String) async throws -> String {
        let started = ContinuousClock.now
        let (status, record) = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(session.project)/instances",
                                                      body: #"{"app":"jupyter-lab","environment":"staging","adapter":"local"}"#)
        let id = try #require(record?.id, "launch answered \(status)")
        let ready = try await session.waitFor(id, phases: ["ready", "failed", "stopped"], timeout: .seconds(240))
        if ready.phase != .ready {
            let (_, logs) = try await session.json(InstanceLogChunk.self, .GET, "/v1/projects/\(session.project)/instances/\(id)/logs")
            Issue.record("jupyter-lab \(id) is \(ready.phase.name): \(logs?.text.suffix(4000) ?? "")")
            throw JupyterClient.Failure(description: "not ready")
        }
        print("figure: jupyter-lab launch->ready (\(log); the first one unpacks the image): \(ContinuousClock.now - started)")
        return id
    }

    /// A web connect session for the `open` action: the client that goes through the proxy.
    static func connect(_ session: Session, instance: String, token: String) async throws -> JupyterClient {
        let (status, web) = try await session.json(ConnectSessionRecord.self, .POST,
                                                   "/v1/projects/\(session.project)/instances/\(instance)/connect", body: #"{"action":"open"}"#)
        let credential = try #require(web?.token, "connect answered \(status)")
        return JupyterClient(base: session.daemon.base + "/i/\(instance)/open", credential: credential, token: token)
    }

    static func stop(_ session: Session, _ id: String) async throws {
        _ = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(session.project)/instances/\(id)/stop", body: "{}")
        let final = try await session.waitFor(id, phases: ["stopped", "failed"], timeout: .seconds(60))
        #expect(final.phase == .stopped, "\(final)")
    }
}

/// The image is reproducible: built again from the same inputs (the cached base and wheels,
/// the same lock file and scripts) into a fresh folder, it has the same manifest digest.
@Suite("App images are reproducible", .serialized, .tags(.integration))
struct AppImageReproducibilityTests {
    @Test("jupyter-lab built twice from the same inputs has one manifest digest")
    func jupyterLabTwice() async throws {
        let layout = try await AppImages.layout("jupyter-lab", tag: JupyterLabContractTests.tag)
        try await withTemporaryDirectory { directory async throws in
            let out = directory.appending("again")
            let build = try ChildProcess("/bin/bash", [AppImages.repositoryRoot.appendingPathComponent("examples/jupyter-lab/build-image.sh").path,
                                                       out.path, JupyterLabContractTests.tag], outputPath: directory.appending("build.log").path)
            try #require(await build.wait(timeout: .seconds(1500)) == 0, "\(build.output.suffix(4000))")
            let printed = build.output.split(separator: "\n").last.map(String.init) ?? ""
            let first = try Self.digest(layout)
            #expect(printed.hasPrefix("sha256:") && printed == first, "rebuilt \(printed), first \(first)")
        }
    }

    /// The manifest digest `index.json` of an OCI layout names for its one image.
    static func digest(_ layout: URL) throws -> String {
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: layout.appendingPathComponent("index.json"))) as? [String: Any]
        return ((index?["manifests"] as? [[String: Any]])?.first?["digest"] as? String) ?? "none"
    }
}

import AsyncHTTPClient
import Foundation
import LocalRuntimeAdapter
import Logging
import NIOCore
import NIOHTTP1
import MeteringService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RegistryService
import RuntimeKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The reference app end to end, as a developer and a user would run it: the real
/// `platformd` (with a real Slurm cluster and a fake `nvidia-smi` giving it 2 GPUs),
/// `examples/gpu-echo/publish.sh` with the real `appctl`, launches on the local (runc) and
/// the slurm (sbatch + bwrap) adapters, its endpoint called, stops, a `kill -9` of the
/// server with an instance running, and the audit rows and usage events checked.
@Suite("Instances end to end (real platformd, runc, Slurm)", .serialized, .tags(.integration, .slurm))
struct InstanceProcessTests {
    static let root = RegistryProcessTests.repositoryRoot
    static var appctl: String { builtProductsDirectory().appendingPathComponent("appctl").path }

    struct Session {
        var daemon: RegistryProcessTests.Daemon
        let project: String
        let directory: TemporaryDirectory
        let cluster: SlurmCluster?

        /// What appctl (and publish.sh) run with: this server, its admin key, a private home and config.
        var environment: [String: String] {
            ["APPCTL_SERVER": daemon.base, "APPCTL_TOKEN": daemon.key, "HOME": directory.appending("home").path,
             "APPCTL_CONFIG": directory.appending("home/appctl.yaml").path]
        }

        func appctl(_ arguments: [String], log: String) async throws -> (Int32?, String) {
            let process = try ChildProcess(InstanceProcessTests.appctl, arguments, environment: environment,
                                           outputPath: directory.appending(log).path)
            return (await process.wait(timeout: .seconds(180)), process.output)
        }

        /// Publishes gpu-echo with `examples/gpu-echo/publish.sh` as a developer would; fails the test unless it succeeds.
        func publishReferenceApp(_ extra: [String] = []) async throws {
            try FileManager.default.createDirectory(at: directory.appending("home"), withIntermediateDirectories: true)
            var environment = self.environment
            environment["APPCTL"] = InstanceProcessTests.appctl
            let publish = try ChildProcess("/bin/bash", [
                InstanceProcessTests.root.appendingPathComponent("examples/gpu-echo/publish.sh").path, "--project", project,
                "--key", directory.appending("signing.pem").path,
            ] + extra, environment: environment, outputPath: directory.appending("publish.log").path)
            try #require(await publish.wait(timeout: .seconds(180)) == 0, "\(publish.output)")
        }

        func json<T: Decodable>(_ type: T.Type, _ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> (UInt, T?) {
            let (status, _, data) = try await daemon.call(method, path, body: body.map { Data($0.utf8) })
            return (status, try? JSONDecoder().decode(T.self, from: data))
        }

        func waitFor(_ id: String, phases: Set<String>, timeout: Duration = .seconds(90)) async throws -> InstanceRecord {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: timeout)
            while true {
                let (_, record) = try await json(InstanceRecord.self, .GET, "/v1/projects/\(project)/instances/\(id)")
                if let record, phases.contains(record.phase.name) { return record }
                guard clock.now < deadline else { throw TestImageError(message: "\(id) is \(record?.phase.name ?? "?") not \(phases)") }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    static func startDaemon(_ directory: TemporaryDirectory, cluster: SlurmCluster?, round: Int,
                            extra: [String] = []) async throws -> RegistryProcessTests.Daemon {
        let smi = directory.appending("nvidia-smi").path
        if !FileManager.default.fileExists(atPath: smi) {
            try Data("""
                #!/bin/sh
                echo "0, GPU-11111111-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3, 81559"
                echo "1, GPU-11111111-0000-0000-0000-000000000001, NVIDIA H100 80GB HBM3, 81559"
                """.utf8).write(to: URL(fileURLWithPath: smi))
            chmod(smi, 0o755)
        }
        let port = freeLocalPort()
        var arguments = ["serve", "--data-dir", directory.appending("data").path, "--nvidia-smi", smi, "--metering-interval", "1"] + extra
        if let cluster { arguments += ["--slurm-conf", cluster.environment["SLURM_CONF"]!, "--slurm-partition", "gpu"] }
        let process = try ChildProcess(ProcessLifecycleTests.binary, arguments, environment: ["PLATFORMD_LISTEN": "127.0.0.1:\(port)"], outputPath: directory.appending("platformd-\(round).log").path)
        let base = "http://127.0.0.1:\(port)"
        try await ProcessLifecycleTests().waitUntilLive(base, process: process)
        let key = try String(contentsOf: directory.appending("data/bootstrap-admin.key"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return RegistryProcessTests.Daemon(process: process, base: base, port: port, key: key)
    }

    @Test("publish gpu-echo, refuse it below production trust, run it on local and slurm, kill -9 and re-attach, meter it once")
    func referenceApp() async throws {
        try await withTemporaryDirectory { directory async throws in
            let cluster = try await SlurmCluster.start(in: directory, gpus: 4, type: "h100")
            var daemon = try await Self.startDaemon(directory, cluster: cluster, round: 0)
            do {
                try await daemon.makeProject()
                let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
                var session = Session(daemon: daemon, project: project, directory: directory, cluster: cluster)

                // Publish as a developer would, only through staging.
                try await session.publishReferenceApp(["--to", "staging"])

                // Production requires promoted:production: refused before anything starts.
                let (refusedStatus, _, refusedBody) = try await daemon.call(
                    .POST, "/v1/projects/\(project)/instances", body: Data(#"{"app":"gpu-echo","adapter":"local"}"#.utf8))
                #expect(refusedStatus == 403 && String(decoding: refusedBody, as: UTF8.self).contains("apps.artifact_untrusted"),
                        "\(String(decoding: refusedBody, as: UTF8.self))")
                let (_, none) = try await session.json([InstanceRecord].self, .GET, "/v1/projects/\(project)/instances")
                #expect(none?.isEmpty == true, "a refused launch left an instance")

                // More GPUs than any node has: refused at admission with the reason.
                let (tooManyStatus, _, tooManyBody) = try await daemon.call(
                    .POST, "/v1/projects/\(project)/instances",
                    body: Data(#"{"app":"gpu-echo","adapter":"local","environment":"staging","gpus":"3"}"#.utf8))
                #expect(tooManyStatus == 409 && String(decoding: tooManyBody, as: UTF8.self).contains("runtime.placement_unsatisfiable"),
                        "\(String(decoding: tooManyBody, as: UTF8.self))")

                // Local adapter through appctl, with live phases.
                let launchedAt = ContinuousClock.now
                let (launched, launchOutput) = try await session.appctl(
                    ["launch", "gpu-echo", "--project", project, "--adapter", "local", "--environment", "staging", "--wait", "-o", "json"],
                    log: "launch-local.log")
                #expect(launched == 0, "\(launchOutput)")
                #expect(launchOutput.contains("scheduled") && launchOutput.contains("running") && launchOutput.contains("ready"), "\(launchOutput)")
                let (_, listed) = try await session.json([InstanceRecord].self, .GET, "/v1/projects/\(project)/instances")
                let local = try #require(listed?.first)
                #expect(local.phase == .ready && local.gpus == [0], "\(local)")
                let url = try #require(local.endpoints.first { $0.name == "http" }?.url)
                let report = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/cgi-bin/gpus"), timeout: .seconds(10))
                let reportText = String(buffer: try await report.body.collect(upTo: 1 << 16))
                #expect(reportText.contains(#""cuda_visible_devices":"0""#) && reportText.contains(local.id), "\(reportText)")

                // A second exclusive GPU instance gets the other device; never the same one.
                let (_, second) = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(project)/instances",
                                                          body: #"{"app":"gpu-echo","adapter":"local","environment":"staging"}"#)
                let secondReady = try await session.waitFor(try #require(second?.id), phases: ["ready", "failed"])
                #expect(secondReady.phase == .ready && secondReady.gpus == [1], "\(secondReady)")

                // The Slurm adapter is product access: runtime.slurm is off on plan.standard, so it
                // is refused (policy.feature_disabled) until the tenant's flag is turned on.
                let slurmLaunch = #"{"app":"gpu-echo","adapter":"slurm","environment":"staging","gpus":"h100:2"}"#
                let (refused, _) = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(project)/instances", body: slurmLaunch)
                #expect(refused == 403, "runtime.slurm is off on the default plan")
                let (_, placement) = try await session.json(PolicyPlacementProbe.self, .GET, "/v1/projects/\(project)/policies")
                let (flagged, flagOutput) = try await session.appctl(
                    ["flag", "set", "runtime.slurm", "on", "--tenant", try #require(placement?.placement.tenant)], log: "flag-slurm.log")
                #expect(flagged == 0, "\(flagOutput)")

                // Slurm adapter: sbatch --gres, bwrap on the node, Slurm's CUDA_VISIBLE_DEVICES.
                let (_, onSlurm) = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(project)/instances",
                                                          body: #"{"app":"gpu-echo","adapter":"slurm","environment":"staging","gpus":"h100:2"}"#)
                let slurmReady = try await session.waitFor(try #require(onSlurm?.id), phases: ["ready", "failed"])
                #expect(slurmReady.phase == .ready && slurmReady.gpus.count == 2, "\(slurmReady)")
                let slurmURL = try #require(slurmReady.endpoints.first { $0.name == "http" }?.url)
                let slurmReport = try await HTTPClient.shared.execute(HTTPClientRequest(url: slurmURL + "/cgi-bin/gpus"), timeout: .seconds(10))
                let slurmText = String(buffer: try await slurmReport.body.collect(upTo: 1 << 16))
                #expect(slurmText.contains(#""cuda_visible_devices":"0,1""#) || slurmText.contains(#""cuda_visible_devices":"2,3""#), "\(slurmText)")
                // The connect proxy reaches it on whatever node Slurm placed it.
                let (_, web) = try await session.json(ConnectSessionRecord.self, .POST, "/v1/projects/\(project)/instances/\(slurmReady.id)/connect",
                                                      body: #"{"action":"open"}"#)
                var proxied = HTTPClientRequest(url: daemon.base + "/i/\(slurmReady.id)/open/cgi-bin/gpus")
                proxied.headers.add(name: "Authorization", value: "Bearer \(try #require(web?.token))")
                let throughProxy = try await HTTPClient.shared.execute(proxied, timeout: .seconds(10))
                #expect(String(buffer: try await throughProxy.body.collect(upTo: 1 << 16)).contains(slurmReady.id), "proxied to the Slurm node")

                // kill -9 with instances running; a restart re-attaches them.
                daemon.process.signal(SIGKILL)
                _ = await daemon.process.wait(timeout: .seconds(10))
                try await Task.sleep(for: .seconds(2))
                daemon = try await Self.startDaemon(directory, cluster: cluster, round: 1)
                session.daemon = daemon
                for id in [local.id, secondReady.id, slurmReady.id] {
                    let again = try await session.waitFor(id, phases: ["ready", "failed", "stopped"], timeout: .seconds(20))
                    #expect(again.phase == .ready, "\(again) after restart")
                }
                var held: Set<String> = []
                for _ in 0..<100 {
                    let (_, nodes) = try await session.json([NodeUsage].self, .GET, "/v1/nodes")
                    held = Set(nodes?.flatMap(\.devices).compactMap(\.instance) ?? [])
                    if held == [local.id, secondReady.id] { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(held == [local.id, secondReady.id], "devices re-reserved after the restart")
                let restartLog = (try? String(contentsOf: directory.appending("platformd-1.log"), encoding: .utf8)) ?? ""
                #expect(restartLog.components(separatedBy: "instance re-attached").count - 1 == 3, "\(restartLog.suffix(2000))")

                // Stop them all (appctl for one), then check what was recorded.
                let (stopped, stopOutput) = try await session.appctl(["instance", "stop", local.id, "--project", project, "--wait"], log: "stop.log")
                #expect(stopped == 0, "\(stopOutput)")
                let ranAtMost = Int64((ContinuousClock.now - launchedAt).components.seconds) + 2
                for id in [secondReady.id, slurmReady.id] {
                    _ = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(project)/instances/\(id)/stop", body: "{}")
                }
                for id in [local.id, secondReady.id, slurmReady.id] {
                    let final = try await session.waitFor(id, phases: ["stopped", "failed"], timeout: .seconds(60))
                    #expect(final.phase == .stopped, "\(final)")
                }
                var stillHeld: [String] = ["?"]
                for _ in 0..<50 {
                    let (_, nodes) = try await session.json([NodeUsage].self, .GET, "/v1/nodes")
                    stillHeld = nodes?.flatMap(\.devices).compactMap(\.instance) ?? ["?"]
                    if stillHeld.isEmpty { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(stillHeld.isEmpty, "devices released on stop: \(stillHeld)")
                let (_, logs) = try await session.json(InstanceLogChunk.self, .GET, "/v1/projects/\(project)/instances/\(local.id)/logs")
                #expect(logs?.text.contains("GET /cgi-bin/gpus") == true || logs?.text.isEmpty == false, "\(String(describing: logs))")

                for (action, least) in [("apps.instance.launch", 3), ("apps.instance.refuse", 2), ("apps.instance.stop", 3)] {
                    let (_, records) = try await session.json([AuditRecordRow].self, .GET, "/v1/audit/records?action=\(action)&limit=1000")
                    #expect((records?.count ?? 0) >= least, "\(action): \(records?.count ?? 0) records")
                }

                // Usage: per-interval events keyed by instance/unit/interval, none twice, and
                // their sum is the time the instance ran (across the kill -9).
                let store = try await SQLStore.open(.sqlite(path: directory.appending("data/platform.db").path), logger: Logger(label: "test"))
                let events = try await UsageEventLog(store: store, units: UsageUnitRegistry(version: 2, units: []), lateWindow: .seconds(3600)).events(project: project, source: "apps")
                await store.shutdown()
                let rows = events.map { ($0.id, $0.unit, $0.quantity) }
                let localRuntime = rows.filter { $0.0.hasPrefix(local.id + "/app-runtime-hour/") }.map(\.2).reduce(0, +)
                let localGPU = rows.filter { $0.0.hasPrefix(local.id + "/gpu-hour.") }.map(\.2).reduce(0, +)
                // Billed once: at least the few seconds it surely ran, at most the wall time from
                // launch to the confirmed stop (double counting across the kill -9 would exceed it).
                #expect(localRuntime >= 3 && localRuntime <= ranAtMost && localGPU == localRuntime,
                        "runtime \(localRuntime) s (wall ≤ \(ranAtMost) s), gpu \(localGPU) s")
                #expect(rows.contains { $0.0.hasPrefix(slurmReady.id + "/gpu-hour.") }, "the slurm instance was metered")
            } catch {
                daemon.process.signal(SIGKILL)
                await Self.killContainers(directory)
                await cluster.stop()
                throw error
            }
            daemon.process.signal(SIGKILL)
            await Self.killContainers(directory)
            await cluster.stop()
        }
    }

    struct AuditRecordRow: Decodable { var action: String }

    static func expectError(_ reply: (UInt, HTTPHeaders, Data), _ status: UInt, _ code: String, _ what: String) {
        let text = String(decoding: reply.2, as: UTF8.self)
        #expect(reply.0 == status && text.contains("\"\(code)\""), "\(what): \(reply.0) \(text)")
    }

    @Test("admission refuses unsigned, revoked and over-quota launches and bad parameters; events stream as SSE; delete needs a stop",
          arguments: ServerBackend.enabled)
    func admissionAndEvents(backend: ServerBackend) async throws {
        let databaseURL = try await backend.databaseURL()
        try await withTemporaryDirectory { directory async throws in
            // A registry copy with a one-instance plan, so a quota can be hit on a 2-GPU host.
            let registries = directory.appending("manifests/platform")
            try FileManager.default.createDirectory(at: directory.appending("manifests"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("manifests/platform"), to: registries)
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("manifests/schema"), to: directory.appending("manifests/schema"))
            let policies = registries.appendingPathComponent("policies.yaml")
            try (try String(contentsOf: policies, encoding: .utf8) + """
                  - plan_id: plan.tiny
                    description: One instance at a time, for tests.
                    values:
                      quota.gpus: 1
                      quota.concurrent_instances: 1

                """).write(to: policies, atomically: true, encoding: .utf8)
            var daemon = try await Self.startDaemon(directory, cluster: nil, round: 0,
                                                    extra: ["--registry-dir", registries.path, "--quota-plan", "plan.tiny"]
                                                        + (databaseURL.map { ["--database-url", $0] } ?? []))
            defer { daemon.process.signal(SIGKILL) }
            do {
                try await admissionScenario(&daemon, directory: directory)
            } catch {
                await Self.killContainers(directory)
                throw error
            }
            await Self.killContainers(directory)
        }
    }

    /// `/v1/nodes` names a device's holder only to a key that reaches it: another tenant's
    /// reader sees the device held, not by which instance.
    static func nodesHideForeignHolders(_ daemon: RegistryProcessTests.Daemon, holder: String) async throws {
        _ = try await waitUntilHolding(holder, on: daemon)
        let tenant = try JSONDecoder().decode(Tenant.self, from: try await daemon.call(.POST, "/v1/tenants", body: Data(#"{"name":"rival"}"#.utf8)).2)
        let project = try JSONDecoder().decode(Project.self, from: try await daemon.call(
            .POST, "/v1/tenants/\(tenant.id)/projects", body: Data(#"{"name":"spy"}"#.utf8)).2)
        let account = try JSONDecoder().decode(ServiceAccount.self, from: try await daemon.call(
            .POST, "/v1/projects/\(project.id)/serviceaccounts", body: Data(#"{"name":"reader","role":"viewer"}"#.utf8)).2)
        let issued = try JSONDecoder().decode(IssuedKey.self, from: try await daemon.call(.POST, "/v1/keys", body: Data("""
            {"serviceAccount":"\(account.id)","scopes":["apps:node:read"],"expiresInSeconds":3600}
            """.utf8)).2)
        let foreign = RegistryProcessTests.Daemon(process: daemon.process, base: daemon.base, port: daemon.port, key: issued.key)
        let (foreignStatus, _, foreignBody) = try await foreign.call(.GET, "/v1/nodes")
        let seen = try JSONDecoder().decode([NodeUsage].self, from: foreignBody)
        #expect(foreignStatus == 200 && !String(decoding: foreignBody, as: UTF8.self).contains(holder), "\(String(decoding: foreignBody, as: UTF8.self))")
        #expect(seen.flatMap(\.devices).contains { $0.instance == NodeUsage.Device.heldElsewhere }, "the device still shows as held")
        let (_, _, ownBody) = try await daemon.call(.GET, "/v1/nodes")
        #expect(String(decoding: ownBody, as: UTF8.self).contains(holder), "the platform admin sees the holder")
    }

    /// Waits until the instance holds its devices (placement happens after `accepted`).
    static func waitUntilHolding(_ instance: String, on daemon: RegistryProcessTests.Daemon) async throws -> Bool {
        for _ in 0..<100 {
            if String(decoding: try await daemon.call(.GET, "/v1/nodes").2, as: UTF8.self).contains(instance) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("instance \(instance) never held a device")
        return false
    }

    /// Kills whatever containers a failed run left behind (their shims outlive platformd by design).
    static func killContainers(_ directory: TemporaryDirectory) async {
        let state = directory.appending("data/runtime/local/runc-state").path
        guard let listed = try? await HostCommand.run("runc", ["--root", state, "list", "-q"]) else { return }
        for id in listed.stdout.split(whereSeparator: \.isNewline) {
            _ = try? await HostCommand.run("runc", ["--root", state, "kill", "--all", String(id), "KILL"])
        }
        // platformd was killed before it could release them: the instances' namespaces, veths and slots.
        await LocalRuntimeAdapter.reclaimNetworks(under: directory.appending("data/runtime/local"))
    }

    func admissionScenario(_ daemon: inout RegistryProcessTests.Daemon, directory: TemporaryDirectory) async throws {
        do {
            try await daemon.makeProject()
            let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
            let session = Session(daemon: daemon, project: project, directory: directory, cluster: nil)
            try await session.publishReferenceApp()
            let launches = "/v1/projects/\(project)/instances"

            // Production only through a release: publish.sh --to production opens a candidate and stops (exit 3).
            var publishEnvironment = session.environment
            publishEnvironment["APPCTL"] = Self.appctl
            let production = try ChildProcess("/bin/bash", [
                Self.root.appendingPathComponent("examples/gpu-echo/publish.sh").path, "--project", project,
                "--key", directory.appending("signing.pem").path, "--to", "production",
            ], environment: publishEnvironment, outputPath: directory.appending("publish-production.log").path)
            #expect(await production.wait(timeout: .seconds(180)) == 3, "\(production.output)")
            let (_, releases) = try await session.json([Release].self, .GET, "/v1/projects/\(project)/releases")
            #expect(releases?.count == 1 && releases?.first?.environment == "production", "\(String(describing: releases))")

            // An unsigned build of a newer version: refused in production and in development.
            let image = directory.appending("unsigned").path
            let build = try ChildProcess("/bin/bash", [Self.root.appendingPathComponent("examples/gpu-echo/build-image.sh").path, image, "1.0.1"],
                                         outputPath: directory.appending("build.log").path)
            #expect(await build.wait(timeout: .seconds(60)) == 0, "\(build.output)")
            let (pushed, pushLog) = try await session.appctl(["artifact", "push", image, "\(daemon.repository.split(separator: "/")[0])/gpu-echo:1.0.1"],
                                                             log: "push.log")
            #expect(pushed == 0, "\(pushLog)")
            let manifest = try String(contentsOf: Self.root.appendingPathComponent("manifests/apps/gpu-echo.yaml"), encoding: .utf8)
                .replacingOccurrences(of: "version: 1.0.0", with: "version: 1.0.1")
                .replacingOccurrences(of: "examples/gpu-echo:1.0.0", with: "examples/gpu-echo:1.0.1")
            try manifest.write(to: directory.appending("gpu-echo-1.0.1.yaml"), atomically: true, encoding: .utf8)
            let (registered, registerLog) = try await session.appctl(
                ["app", "register", directory.appending("gpu-echo-1.0.1.yaml").path, "--project", project], log: "register.log")
            #expect(registered == 0, "\(registerLog)")
            Self.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"gpu-echo","version":"1.0.1","environment":"staging"}"#.utf8)),
                             403, "apps.artifact_untrusted", "unsigned into staging")
            Self.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"gpu-echo","version":"1.0.1","environment":"development"}"#.utf8)),
                             403, "apps.artifact_untrusted", "unsigned into development")

            // Bad requests, each with its own code.
            Self.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"gpu-echo","environment":"staging","params":{"nope":"1"}}"#.utf8)),
                             400, "apps.launch_invalid", "unknown parameter")
            Self.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"gpu-echo","environment":"moon"}"#.utf8)),
                             400, "apps.launch_invalid", "unknown environment")
            Self.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"gpu-echo","environment":"staging","adapter":"slurm"}"#.utf8)),
                             400, "apps.launch_invalid", "slurm not configured")
            Self.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"no-such-app"}"#.utf8)),
                             404, "apps.not_found", "unknown app")

            // The staging build runs (production is reached only through a release); a second launch hits the one-instance quota.
            let (firstStatus, _, firstBody) = try await daemon.call(.POST, launches, body: Data(#"{"app":"gpu-echo","version":"1.0.0","environment":"staging"}"#.utf8))
            let instance = try #require(try? JSONDecoder().decode(InstanceRecord.self, from: firstBody),
                                        "\(firstStatus) \(String(decoding: firstBody, as: UTF8.self))")
            Self.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"gpu-echo","version":"1.0.0","environment":"staging","gpus":"0"}"#.utf8)),
                             429, "apps.quota_exceeded", "second instance on a one-instance plan")
            try await Self.nodesHideForeignHolders(daemon, holder: instance.id)

            // Phase events as Server-Sent Events, from the start, until the terminal phase.
            var request = HTTPClientRequest(url: daemon.base + "\(launches)/\(instance.id)/events")
            request.headers.add(name: "Authorization", value: "Bearer \(daemon.key)")
            request.headers.add(name: "Accept", value: "text/event-stream")
            let stream = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            #expect(stream.headers.first(name: "Content-Type") == "text/event-stream")
            var received = ""
            var stopped = false
            for try await chunk in stream.body {
                received += String(buffer: chunk)
                if !stopped, received.contains("\"phase\":\"ready\"") {
                    stopped = true
                    let metrics = try await HTTPClient.shared.execute(HTTPClientRequest(url: daemon.base + "/metrics"), timeout: .seconds(10))
                    let text = String(buffer: try await metrics.body.collect(upTo: 1 << 20))
                    #expect(text.contains(#"platform_instances{phase="ready"} 1"#), "\(text.split(separator: "\n").filter { $0.contains("instances") })")
                    Self.expectError(try await daemon.call(.DELETE, "\(launches)/\(instance.id)"), 409, "apps.instance_phase_conflict", "delete while ready")
                    _ = try await daemon.call(.POST, "\(launches)/\(instance.id)/stop", body: Data("{}".utf8))
                }
            }
            let phases = received.split(separator: "\n").filter { $0.hasPrefix("data: ") }
                .compactMap { try? JSONDecoder().decode(InstanceEvent.self, from: Data($0.dropFirst(6).utf8)) }.map(\.phase.name)
            #expect(phases == ["accepted", "scheduled", "starting", "running", "ready", "stopping", "stopped"], "\(received)")
            #expect(received.contains("id: 1\nevent: phase\n"))

            // Revoking the signing keys stops the next launch at once (admission evaluates trust
            // now) and demotes the recorded state to the effective one (audited, artifact.demoted).
            let (_, status) = try await session.json(InstanceRecord.self, .GET, "\(launches)/\(instance.id)")
            let digest = try #require(status?.image.split(separator: "@").last.map(String.init))
            let (_, signingKeys) = try await session.json([TrustedKey].self, .GET, "/v1/projects/\(project)/signingkeys")
            #expect(!(signingKeys ?? []).isEmpty)
            for signingKey in signingKeys ?? [] where signingKey.status != .revoked {
                let (keyStatus, _, keyBody) = try await daemon.call(
                    .POST, "/v1/projects/\(project)/signingkeys/\(signingKey.id)/revoke", body: Data("{}".utf8))
                #expect(keyStatus == 200, "\(String(decoding: keyBody, as: UTF8.self))")
            }
            Self.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"gpu-echo","version":"1.0.0","environment":"staging"}"#.utf8)),
                             403, "apps.artifact_untrusted", "launch after its only signing keys were revoked")
            let (_, afterRevocation) = try await session.json(ArtifactStatus.self, .GET, "/v1/projects/\(project)/artifacts/\(digest)")
            #expect(afterRevocation?.state == .registered && afterRevocation?.effectiveState == .registered,
                    "recorded \(String(describing: afterRevocation?.state)), effective \(String(describing: afterRevocation?.effectiveState))")

            // Revoked: the same digest that just ran is refused once revoked.
            let (revokedStatus, _, revokedBody) = try await daemon.call(
                .POST, "/v1/projects/\(project)/artifacts/\(digest)/promote", body: Data(#"{"to":"revoked"}"#.utf8))
            #expect(revokedStatus == 200, "\(String(decoding: revokedBody, as: UTF8.self))")
            Self.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"gpu-echo","version":"1.0.0","environment":"staging"}"#.utf8)),
                             403, "apps.artifact_untrusted", "revoked artifact into staging")
            Self.expectError(try await daemon.call(.POST, launches, body: Data(#"{"app":"gpu-echo","version":"1.0.0","environment":"development"}"#.utf8)),
                             403, "apps.artifact_untrusted", "revoked artifact into development")

            // Delete after the stop: gone, with its runtime folder.
            let (deleteStatus, _, _) = try await daemon.call(.DELETE, "\(launches)/\(instance.id)")
            #expect(deleteStatus == 204)
            Self.expectError(try await daemon.call(.GET, "\(launches)/\(instance.id)"), 404, "apps.instance_not_found", "deleted instance")
            #expect(!FileManager.default.fileExists(atPath: directory.appending("data/runtime/local/\(instance.id)").path))
            // The delete was audited, once.
            let (_, audited) = try await session.json([AuditRecordRow].self, .GET, "/v1/audit/records?action=apps.instance.delete&limit=10")
            #expect(audited?.count == 1)
            let (_, refusals) = try await session.json([AuditRecordRow].self, .GET, "/v1/audit/records?action=apps.instance.refuse&limit=100")
            #expect((refusals?.count ?? 0) >= 7, "\(refusals?.count ?? 0) refusals audited")
        }
    }
}

// In the integration tier: scripts/test.sh's old name regex matched it through this file's name, so it has always run serially after the rest.
@Suite("Usage-event log", .tags(.integration))
struct UsageEventLogTests {
    @Test("an event re-sent with the same payload is stored once; the same key with another payload is a conflict; one instance's events by id prefix",
          arguments: ServerBackend.enabled)
    func idempotency(backend: ServerBackend) async throws {
        try await withTemporaryDirectory { directory async throws in
            let location = try await backend.databaseURL().map { try DatabaseLocation(url: $0) }
                ?? .sqlite(path: directory.appending("usage.db").path)
            let store = try await SQLStore.open(location, logger: Logger(label: "test"))
            do {
                try await Migrator(store: store, sets: [MeteringSchema.migrations, BillingSchema.migrations], logger: Logger(label: "test")).migrate()
                let units = try RegistryFiles(directory: RegistryTests.checkoutRegistries).usageUnits()
                let log = UsageEventLog(store: store, units: units, lateWindow: .seconds(3600), now: { Timestamp(millisecondsSinceEpoch: 1_060_000) })
                let event = UsageEvent(source: "apps", id: "I1/gpu-hour.h100/0", unit: "gpu-hour.h100", quantity: 120, tenant: "T1",
                                       project: ProjectID("P1"), product: "apps", occurredAt: Timestamp(millisecondsSinceEpoch: 1_000_000))
                try await log.record(event)
                try await log.record(event)
                #expect(try await log.events(project: "P1") == [event])
                var changed = event
                changed.quantity = 121
                await #expect(throws: PlatformError.self) { try await log.record(changed) }
                #expect(try await log.events(project: "P1") == [event])

                // One instance's events by id prefix: not a longer id that shares it, not another instance's.
                var others: [UsageEvent] = []
                for id in ["I10/gpu-hour.h100/0", "I2/gpu-hour.h100/0", "I1/app-runtime-hour/0"] {
                    var other = event
                    other.id = id
                    try await log.record(other)
                    others.append(other)
                }
                #expect(try await log.events(project: "P1", source: "apps", idPrefix: "I1/").map(\.id).sorted()
                        == ["I1/app-runtime-hour/0", "I1/gpu-hour.h100/0"])
                #expect(try await log.events(project: "P1", idPrefix: "I2/") == [others[1]])
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
        }
    }
}

/// The part of `GET /v1/projects/{project}/policies` these tests read.
struct PolicyPlacementProbe: Decodable {
    struct Placement: Decodable { var tenant: String }
    var placement: Placement
}

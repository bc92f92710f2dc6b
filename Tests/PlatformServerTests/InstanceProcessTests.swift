import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The reference app end to end, as a developer and a user would run it: the real
/// `platformd` (with a real Slurm cluster and a fake `nvidia-smi` giving it 2 GPUs),
/// `examples/gpu-echo/publish.sh` with the real `appctl`, launches on the local (runc) and
/// the slurm (sbatch + bwrap) adapters, its endpoint called, stops, a `kill -9` of the
/// server with an instance running, and the audit rows and usage events checked.
@Suite("Instances end to end (real platformd, runc, Slurm)", .serialized)
struct InstanceProcessTests {
    static let root = RegistryProcessTests.repositoryRoot
    static var appctl: String { builtProductsDirectory().appendingPathComponent("appctl").path }

    struct Session {
        var daemon: RegistryProcessTests.Daemon
        let project: String
        let directory: TemporaryDirectory
        let cluster: SlurmCluster

        func appctl(_ arguments: [String], log: String) async throws -> (Int32?, String) {
            let process = try ChildProcess(InstanceProcessTests.appctl, arguments, environment: [
                "APPCTL_SERVER": daemon.base, "APPCTL_TOKEN": daemon.key, "HOME": directory.appending("home").path,
                "APPCTL_CONFIG": directory.appending("home/appctl.yaml").path,
            ], outputPath: directory.appending(log).path)
            return (await process.wait(timeout: .seconds(180)), process.output)
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
                if let record, phases.contains(record.phase) { return record }
                guard clock.now < deadline else { throw TestImageError(message: "\(id) is \(record?.phase ?? "?") not \(phases)") }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    static func startDaemon(_ directory: TemporaryDirectory, cluster: SlurmCluster, round: Int) async throws -> RegistryProcessTests.Daemon {
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
        let process = try ChildProcess(ProcessLifecycleTests.binary, [
            "serve", "--data-dir", directory.appending("data").path, "--nvidia-smi", smi, "--slurm-conf", cluster.environment["SLURM_CONF"]!,
            "--slurm-partition", "gpu", "--metering-interval", "1",
        ], environment: ["PLATFORMD_LISTEN": "127.0.0.1:\(port)"], outputPath: directory.appending("platformd-\(round).log").path)
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
                try FileManager.default.createDirectory(at: directory.appending("home"), withIntermediateDirectories: true)

                // Publish as a developer would, only through staging.
                let publish = try ChildProcess("/bin/bash", [
                    Self.root.appendingPathComponent("examples/gpu-echo/publish.sh").path, "--project", project, "--to", "staging",
                    "--key", directory.appending("signing.pem").path,
                ], environment: [
                    "APPCTL": Self.appctl, "APPCTL_SERVER": daemon.base, "APPCTL_TOKEN": daemon.key, "HOME": directory.appending("home").path,
                    "APPCTL_CONFIG": directory.appending("home/appctl.yaml").path,
                ], outputPath: directory.appending("publish.log").path)
                let published = await publish.wait(timeout: .seconds(180))
                try #require(published == 0, "\(publish.output)")

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
                let (launched, launchOutput) = try await session.appctl(
                    ["launch", "gpu-echo", "--project", project, "--adapter", "local", "--environment", "staging", "--wait", "-o", "json"],
                    log: "launch-local.log")
                #expect(launched == 0, "\(launchOutput)")
                #expect(launchOutput.contains("scheduled") && launchOutput.contains("running") && launchOutput.contains("ready"), "\(launchOutput)")
                let (_, listed) = try await session.json([InstanceRecord].self, .GET, "/v1/projects/\(project)/instances")
                let local = try #require(listed?.first)
                #expect(local.phase == "ready" && local.gpus == [0], "\(local)")
                let url = try #require(local.endpoints.first?.url)
                let report = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/cgi-bin/gpus"), timeout: .seconds(10))
                let reportText = String(buffer: try await report.body.collect(upTo: 1 << 16))
                #expect(reportText.contains(#""cuda_visible_devices":"0""#) && reportText.contains(local.id), "\(reportText)")

                // A second exclusive GPU instance gets the other device; never the same one.
                let (_, second) = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(project)/instances",
                                                          body: #"{"app":"gpu-echo","adapter":"local","environment":"staging"}"#)
                let secondReady = try await session.waitFor(try #require(second?.id), phases: ["ready", "failed"])
                #expect(secondReady.phase == "ready" && secondReady.gpus == [1], "\(secondReady)")

                // Slurm adapter: sbatch --gres, bwrap on the node, Slurm's CUDA_VISIBLE_DEVICES.
                let (_, onSlurm) = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(project)/instances",
                                                          body: #"{"app":"gpu-echo","adapter":"slurm","environment":"staging","gpus":"h100:2"}"#)
                let slurmReady = try await session.waitFor(try #require(onSlurm?.id), phases: ["ready", "failed"])
                #expect(slurmReady.phase == "ready" && slurmReady.gpus.count == 2, "\(slurmReady)")
                let slurmURL = try #require(slurmReady.endpoints.first?.url)
                let slurmReport = try await HTTPClient.shared.execute(HTTPClientRequest(url: slurmURL + "/cgi-bin/gpus"), timeout: .seconds(10))
                let slurmText = String(buffer: try await slurmReport.body.collect(upTo: 1 << 16))
                #expect(slurmText.contains(#""cuda_visible_devices":"0,1""#) || slurmText.contains(#""cuda_visible_devices":"2,3""#), "\(slurmText)")

                // kill -9 with instances running; a restart re-attaches them.
                daemon.process.signal(SIGKILL)
                _ = await daemon.process.wait(timeout: .seconds(10))
                try await Task.sleep(for: .seconds(2))
                daemon = try await Self.startDaemon(directory, cluster: cluster, round: 1)
                session.daemon = daemon
                for id in [local.id, secondReady.id, slurmReady.id] {
                    let again = try await session.waitFor(id, phases: ["ready", "failed", "stopped"], timeout: .seconds(20))
                    #expect(again.phase == "ready", "\(again) after restart")
                }
                let (_, nodes) = try await session.json([NodeUsage].self, .GET, "/v1/nodes")
                #expect(Set(nodes?.flatMap(\.devices).compactMap(\.instance) ?? []) == [local.id, secondReady.id], "devices re-reserved")

                // Stop them all (appctl for one), then check what was recorded.
                let (stopped, stopOutput) = try await session.appctl(["instance", "stop", local.id, "--project", project, "--wait"], log: "stop.log")
                #expect(stopped == 0, "\(stopOutput)")
                for id in [secondReady.id, slurmReady.id] {
                    _ = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(project)/instances/\(id)/stop", body: "{}")
                }
                for id in [local.id, secondReady.id, slurmReady.id] {
                    let final = try await session.waitFor(id, phases: ["stopped", "failed"], timeout: .seconds(60))
                    #expect(final.phase == "stopped", "\(final)")
                }
                let (_, logs) = try await session.json(InstanceLogChunk.self, .GET, "/v1/projects/\(project)/instances/\(local.id)/logs")
                #expect(logs?.text.contains("GET /cgi-bin/gpus") == true || logs?.text.isEmpty == false, "\(String(describing: logs))")

                for (action, least) in [("apps.instance.launch", 3), ("apps.instance.refuse", 2), ("apps.instance.stop", 3)] {
                    let (_, records) = try await session.json([AuditRecordRow].self, .GET, "/v1/audit/records?action=\(action)&limit=1000")
                    #expect((records?.count ?? 0) >= least, "\(action): \(records?.count ?? 0) records")
                }

                // Usage: per-interval events keyed by instance/unit/interval, none twice, and
                // their sum is the time the instance ran (across the kill -9).
                let store = try await SQLStore.open(.sqlite(path: directory.appending("data/platform.db").path), logger: Logger(label: "test"))
                let rows = try await store.read { db in
                    try await db.select().columns("id", "unit", "quantity").from("metering_usage_events").all()
                        .map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "unit", as: String.self),
                                try $0.decode(column: "quantity", as: Int64.self)) }
                }
                await store.shutdown()
                #expect(Set(rows.map(\.0)).count == rows.count)
                let localRuntime = rows.filter { $0.0.hasPrefix(local.id + "/app-runtime.second/") }.map(\.2).reduce(0, +)
                let localGPU = rows.filter { $0.0.hasPrefix(local.id + "/gpu.second/") }.map(\.2).reduce(0, +)
                #expect(localRuntime >= 3 && localGPU == localRuntime, "runtime \(localRuntime) s, gpu \(localGPU) s")
                #expect(rows.contains { $0.0.hasPrefix(slurmReady.id + "/gpu.second/") }, "the slurm instance was metered")
            } catch {
                daemon.process.signal(SIGKILL)
                await cluster.stop()
                throw error
            }
            daemon.process.signal(SIGKILL)
            await cluster.stop()
        }
    }

    struct AuditRecordRow: Decodable { var action: String }
}

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

/// The catalog's training apps as a user meets them, through public contracts only (the HTTP
/// API, `examples/publish.sh` with the real `appctl`, the connect proxy): a real `platformd`
/// with a real Slurm cluster, the images built from PyPI wheels on the Debian base by their
/// `examples/<app>/build-image.sh`. finetune-job runs as a Slurm job to exit 0, is stopped
/// midway and resumes from its checkpoint on the same volume, and is metered; TensorBoard on
/// the same adapter and volume lists the job's runs. Nothing in the platform knows these apps.
@Suite("Training apps on Slurm: finetune-job and TensorBoard (real platformd, Slurm, images from PyPI)", .serialized, .tags(.integration, .slurm, .appImages))
struct TrainingContractTests {
    typealias Session = InstanceProcessTests.Session

    static let jobTag = "1.0.0"
    static let boardTag = "2.18.0"

    @Test("on slurm: finetune-job ends succeeded with exit 0; stopped after a checkpoint and relaunched on the same volume it resumes from that checkpoint, finishes and is metered; TensorBoard over that volume lists its runs through the connect proxy")
    func jobResumesAndTensorBoardShowsIt() async throws {
        let jobImage = try await AppImages.layout("finetune-job", tag: Self.jobTag)
        let boardImage = try await AppImages.layout("tensorboard", tag: Self.boardTag)
        try await withTemporaryDirectory { directory async throws in
            let cluster = try await SlurmCluster.start(in: directory, gpus: 2, type: "h100")
            let daemon = try await InstanceProcessTests.startDaemon(directory, cluster: cluster, round: 0)
            do {
                try await scenario(daemon, directory: directory, cluster: cluster, jobImage: jobImage, boardImage: boardImage)
            } catch {
                daemon.process.signal(SIGKILL)
                await cluster.stop()
                throw error
            }
            daemon.process.signal(SIGKILL)
            await cluster.stop()
        }
    }

    func scenario(_ daemon: RegistryProcessTests.Daemon, directory: TemporaryDirectory, cluster: SlurmCluster,
                  jobImage: URL, boardImage: URL) async throws {
        var daemon = daemon
        try await daemon.makeProject()
        let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
        let session = Session(daemon: daemon, project: project, directory: directory, cluster: cluster)
        try await publish(session, app: "finetune-job", layout: jobImage)
        try await publish(session, app: "tensorboard", layout: boardImage)
        let (_, placement) = try await session.json(PolicyPlacementProbe.self, .GET, "/v1/projects/\(project)/policies")
        let (flagged, flagOutput) = try await session.appctl(
            ["flag", "set", "runtime.slurm", "on", "--tenant", try #require(placement?.placement.tenant)], log: "flag-slurm.log")
        try #require(flagged == 0, "\(flagOutput)")
        let launches = "/v1/projects/\(project)/instances"

        // mode: job on Slurm: trains to the end, exit 0, succeeded (params reach train.py's command line).
        let started = ContinuousClock.now
        let whole = try await launch(session, "finetune-job", params: ["steps": "300", "checkpoint_every": "100", "run_name": "whole"])
        let finished = try await session.waitFor(whole, phases: ["succeeded", "failed", "stopped"], timeout: .seconds(300))
        let jobSeconds = Self.seconds(ContinuousClock.now - started)
        let wholeLog = try await logs(session, whole)
        #expect(finished.phase == .succeeded && finished.message == "exited with status 0", "\(finished)\n\(wholeLog)")
        #expect(finished.adapter == "slurm", "\(finished)")
        #expect(wholeLog.contains("starting run whole from step 0") && wholeLog.contains("done: 300 steps"), "\(wholeLog)")

        // Killed midway: stopped once its first checkpoint is in its log.
        let slow = ["steps": "400", "checkpoint_every": "50", "step_delay_ms": "40", "run_name": "resumable"]
        let first = try await launch(session, "finetune-job", params: slow)
        var firstLog = ""
        for _ in 0..<900 where !firstLog.contains("checkpoint step 50 ") {
            firstLog = try await logs(session, first)
            try await Task.sleep(for: .milliseconds(200))
        }
        try #require(firstLog.contains("checkpoint step 50 "), "no checkpoint in time: \(firstLog)")
        _ = try await session.json(InstanceRecord.self, .POST, "\(launches)/\(first)/stop", body: "{}")
        let stopped = try await session.waitFor(first, phases: ["stopped", "failed", "succeeded"], timeout: .seconds(120))
        firstLog = try await logs(session, first)
        #expect(stopped.phase == .stopped, "stopped midway, not run to the end: \(stopped)\n\(firstLog)")
        #expect(!firstLog.contains("done: 400 steps"), "\(firstLog)")
        let checkpoint = try #require(Self.lastCheckpoint(in: firstLog), "\(firstLog)")
        #expect(checkpoint >= 50 && checkpoint < 400, "\(firstLog)")

        // Relaunched with the same volume: resumes from that checkpoint, finishes, exit 0.
        let second = try await launch(session, "finetune-job", params: slow)
        let resumed = try await session.waitFor(second, phases: ["succeeded", "failed", "stopped"], timeout: .seconds(300))
        let secondLog = try await logs(session, second)
        #expect(resumed.phase == .succeeded && resumed.message == "exited with status 0", "\(resumed)\n\(secondLog)")
        #expect(secondLog.contains("resumed from step \(checkpoint) ("), "expected a resume from step \(checkpoint):\n\(secondLog)")
        #expect(secondLog.contains("done: 400 steps (\(400 - checkpoint) this run)"), "\(secondLog)")
        #expect(!secondLog.contains("starting run resumable from step 0"), "\(secondLog)")

        // One persistent volume carried the checkpoint: the manifest's `runs`, provisioned on slurm, now unmounted.
        let (_, volumes) = try await session.json([VolumeRecord].self, .GET, "/v1/projects/\(project)/volumes")
        let runsVolume = volumes?.first { $0.name == "runs" }
        #expect(volumes?.count == 1 && runsVolume?.adapter == "slurm" && runsVolume?.mountedBy.isEmpty == true, "\(String(describing: volumes))")

        // Metered: the job's run time under its manifest's usage unit.
        for id in [whole, second] {
            let (_, usage) = try await session.json(InstanceUsage.self, .GET, "\(launches)/\(id)/usage")
            let total = usage?.totals.first { $0.unit == "app-runtime-hour" }
            #expect((total?.quantity ?? 0) > 0 && (total?.intervals ?? 0) > 0, "\(id): \(String(describing: usage))")
        }

        // TensorBoard on the same adapter with the same volume (read-only), ready on its probe path.
        let boardStarted = ContinuousClock.now
        let board = try await launch(session, "tensorboard", params: [:])
        let ready = try await session.waitFor(board, phases: ["ready", "failed", "stopped"], timeout: .seconds(180))
        let readySeconds = Self.seconds(ContinuousClock.now - boardStarted)
        let boardLog = ready.phase == .ready ? "" : try await logs(session, board)
        try #require(ready.phase == .ready, "\(ready)\n\(boardLog)")
        #expect(ready.adapter == "slurm", "\(ready)")

        // Through the connect proxy, as a browser or script would: the runs and their scalars.
        let (status, _, body) = try await daemon.call(.POST, "\(launches)/\(board)/connect", body: Data(#"{"action":"open"}"#.utf8))
        let opened = try #require(try? JSONDecoder().decode(ConnectSessionRecord.self, from: body), "\(status) \(String(decoding: body, as: UTF8.self))")
        let bearer = ["Authorization": "Bearer \(try #require(opened.token))"]
        let proxied = daemon.base + "/i/\(board)/open"
        let (runsStatus, runs) = try await get(proxied + "/data/runs", headers: bearer)
        #expect(runsStatus == 200 && runs.contains("\"whole\"") && runs.contains("\"resumable\""), "\(runsStatus) \(runs)")
        let (tagsStatus, tags) = try await get(proxied + "/data/plugin/scalars/tags", headers: bearer)
        let tagged = try JSONSerialization.jsonObject(with: Data(tags.utf8)) as? [String: [String: Any]]
        #expect(tagsStatus == 200 && tagged?["resumable"]?["train/loss"] != nil && tagged?["whole"]?["train/accuracy"] != nil,
                "\(tagsStatus) \(tags)")
        // The resumed run's loss curve spans both launches: steps 1 through 400, each once.
        let (lossStatus, loss) = try await get(proxied + "/data/plugin/scalars/scalars?run=resumable&tag=train%2Floss", headers: bearer)
        let points = (try? JSONSerialization.jsonObject(with: Data(loss.utf8)) as? [[Double]]) ?? []
        let steps = points.map { Int($0[1]) }
        #expect(lossStatus == 200 && steps == Array(1...400), "\(lossStatus) \(steps.count) points: \(loss.prefix(400))")
        #expect(try await get(daemon.base + "/i/\(board)/open/data/runs").0 == 404, "no session, no data")

        _ = try await session.json(InstanceRecord.self, .POST, "\(launches)/\(board)/stop", body: "{}")
        let boardStopped = try await session.waitFor(board, phases: ["stopped", "failed"], timeout: .seconds(120))
        #expect(boardStopped.phase == .stopped, "\(boardStopped)")
        print("TrainingContractTests figures (slurm): finetune-job launch->succeeded \(String(format: "%.1f", jobSeconds)) s (300 steps); "
              + "tensorboard launch->ready \(String(format: "%.1f", readySeconds)) s")
    }

    @Test("finetune-job and tensorboard: each image built twice from the same inputs has the same manifest digest")
    func imagesAreReproducible() async throws {
        for (app, tag) in [("finetune-job", Self.jobTag), ("tensorboard", Self.boardTag)] {
            let first = try await AppImages.layout(app, tag: tag)
            let recorded = try Self.digest(of: first, tag: tag)
            try await withTemporaryDirectory { directory async throws in
                let out = directory.appending("again").path
                let started = ContinuousClock.now
                let build = try ChildProcess("/bin/bash", [AppImages.repositoryRoot.appendingPathComponent("examples/\(app)/build-image.sh").path, out, tag],
                                             outputPath: directory.appending("build.log").path)
                let status = await build.wait(timeout: .seconds(1500))
                let elapsed = ContinuousClock.now - started
                try #require(status == 0, "\(build.output.suffix(4000))")
                let printed = build.output.split(whereSeparator: \.isNewline).last { $0.hasPrefix("sha256:") }.map(String.init)
                let again = try Self.digest(of: URL(fileURLWithPath: out), tag: tag)
                #expect(printed == again && again == recorded, "\(app): first \(recorded), again \(again), printed \(printed ?? "nothing")")
                print("TrainingContractTests figures: \(app):\(tag) \(Self.bytes(of: first)) bytes of blobs; rebuilt with a warm cache in \(elapsed)")
            }
        }
    }

    // MARK: - Helpers

    /// Publishes `app` with `examples/publish.sh` (push, sign, evidence, promote to staging) from the prebuilt layout.
    func publish(_ session: Session, app: String, layout: URL) async throws {
        try FileManager.default.createDirectory(at: session.directory.appending("home"), withIntermediateDirectories: true)
        var environment = session.environment
        environment["APPCTL"] = InstanceProcessTests.appctl
        let publish = try ChildProcess("/bin/bash", [
            InstanceProcessTests.root.appendingPathComponent("examples/publish.sh").path, "--app", app, "--project", session.project,
            "--layout", layout.path, "--key", session.directory.appending("signing.pem").path, "--to", "staging",
        ], environment: environment, outputPath: session.directory.appending("publish-\(app).log").path)
        try #require(await publish.wait(timeout: .seconds(600)) == 0, "\(publish.output.suffix(6000))")
    }

    /// Launches the staging version of `app` on the Slurm adapter; returns the instance id.
    func launch(_ session: Session, _ app: String, params: [String: String]) async throws -> String {
        let request = LaunchRequest(app: app, adapter: "slurm", environment: "staging", params: params.isEmpty ? nil : params)
        let body = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        let (status, record) = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(session.project)/instances", body: body)
        return try #require(record?.id, "launching \(app) answered \(status)")
    }

    /// The instance's whole log so far, read page by page through `GET …/logs?offset=`.
    func logs(_ session: Session, _ id: String) async throws -> String {
        var text = "", offset: Int64 = 0
        for _ in 0..<100 {
            let (_, chunk) = try await session.json(InstanceLogChunk.self, .GET,
                                                    "/v1/projects/\(session.project)/instances/\(id)/logs?offset=\(offset)")
            guard let chunk, !chunk.text.isEmpty else { break }
            text += chunk.text
            offset = chunk.nextOffset
        }
        return text
    }

    func get(_ url: String, headers: [String: String] = [:]) async throws -> (UInt, String) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (response.status.code, String(buffer: try await response.body.collect(upTo: 8 << 20)))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The step of the last `checkpoint step K -> …` line train.py printed.
    static func lastCheckpoint(in log: String) -> Int? {
        log.split(whereSeparator: \.isNewline).last { $0.hasPrefix("checkpoint step ") }
            .flatMap { Int($0.dropFirst("checkpoint step ".count).prefix { $0.isNumber }) }
    }

    /// The manifest digest index.json records for `tag`.
    static func digest(of layout: URL, tag: String) throws -> String {
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: layout.appendingPathComponent("index.json"))) as? [String: Any]
        let manifests = index?["manifests"] as? [[String: Any]] ?? []
        let entry = manifests.first { ($0["annotations"] as? [String: String])?["org.opencontainers.image.ref.name"] == tag }
        return try #require(entry?["digest"] as? String, "no \(tag) in \(layout.path)/index.json")
    }

    /// The bytes of every blob in the layout (the compressed layers, config and manifest: what a push sends).
    static func bytes(of layout: URL) -> Int {
        let blobs = layout.appendingPathComponent("blobs/sha256")
        return ((try? FileManager.default.contentsOfDirectory(atPath: blobs.path)) ?? []).reduce(0) { sum, name in
            sum + ((try? FileManager.default.attributesOfItem(atPath: blobs.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
    }
}

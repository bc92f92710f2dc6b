import Foundation
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Persistent volumes end to end on the real `platformd` with the local (runc) adapter and
/// its isolation (own user and network namespace per instance): `appctl volume`, a launch
/// whose manifest mounts a persistent and a scratch volume, data written by one instance
/// and read (and extended) by the next, the in-use refusal and the scratch size limit.
@Suite("Volumes end to end (real platformd, runc, appctl)", .serialized, .tags(.integration))
struct VolumeProcessTests {
    typealias Session = InstanceProcessTests.Session

    @Test("a persistent volume survives its instance: one launch writes, it stops, the next launch reads and appends; scratch is size-limited; delete waits for the last mount")
    func volumeSurvivesRestart() async throws {
        try await withTemporaryDirectory { directory async throws in
            var daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0)
            do {
                try await daemon.makeProject()
                let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
                // The manifest's volumes on the local adapter (runc, its own user and network namespaces).
                try await scenario(Session(daemon: daemon, project: project, directory: directory, cluster: nil), adapter: "local")
            } catch {
                daemon.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                throw error
            }
            daemon.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
        }
    }

    func scenario(_ session: Session, adapter: String) async throws {
        let project = session.project
        try await session.publishReferenceApp()
        // gpu-echo 1.0.1: the published image, with a persistent and a scratch volume.
        let reference = try String(contentsOf: InstanceProcessTests.root.appendingPathComponent("manifests/apps/gpu-echo.yaml"), encoding: .utf8)
        let manifest = reference.replacingOccurrences(of: "\n  version: 1.0.0\n", with: "\n  version: 1.0.1\n") + """

            volumes:
              - name: state
                mountPath: /data
                persistent: true
                sizeMiB: 16
              - name: scratch
                mountPath: /scratch
                sizeMiB: 4

            """
        let file = session.directory.appending("gpu-echo-volumes.yaml")
        try Data(manifest.utf8).write(to: file)
        let (registered, registerOutput) = try await session.appctl(["app", "register", file.path, "--project", project], log: "register.log")
        try #require(registered == 0, "\(registerOutput)")

        // A volume made by hand first: listed, then deleted.
        let (made, madeOutput) = try await session.appctl(["volume", "create", "spare", "--size-mib", "8", "--project", project], log: "create.log")
        #expect(made == 0 && madeOutput.contains("spare"), "\(madeOutput)")

        let first = try await launch(session, adapter: adapter)
        let (_, listedJSON) = try await session.appctl(["volume", "list", "--project", project, "-o", "json"], log: "list-1.log")
        let listed = try JSONDecoder().decode([VolumeRecord].self, from: Data(listedJSON.utf8))
        let state = try #require(listed.first { $0.name == "state" }, "the launch provisioned state: \(listedJSON)")
        #expect(state.sizeMiB == 16 && state.adapter == adapter && state.mountedBy == [first], "\(listedJSON)")
        #expect(listed.contains { $0.name == "spare" && $0.mountedBy.isEmpty }, "\(listedJSON)")

        // The first instance writes as its root, which is an unprivileged host uid.
        let (wrote, writeOutput) = try await exec(session, first, "echo survived-\(first) > /data/note && echo wrote && cat /proc/self/uid_map")
        #expect(wrote == 0 && writeOutput.contains("wrote"), "\(writeOutput)")
        // Scratch: 4 MiB, so 8 MiB do not fit.
        let (_, fillOutput) = try await exec(session, first, "dd if=/dev/zero of=/scratch/fill bs=1048576 count=8 2>&1; echo done")
        #expect(fillOutput.contains("No space left"), "\(fillOutput)")

        let (inUse, inUseOutput) = try await session.appctl(["volume", "delete", "state", "--project", project], log: "delete-in-use.log")
        #expect(inUse != 0 && inUseOutput.contains("volume.in_use"), "\(inUseOutput)")

        try await stop(session, first)

        // The next instance (another slot, so another host uid range) reads it and can still write.
        let second = try await launch(session, adapter: adapter)
        #expect(second != first)
        let (read, readOutput) = try await exec(session, second, "cat /data/note && echo again >> /data/note && echo appended && ls /scratch | wc -l")
        #expect(read == 0 && readOutput.contains("survived-\(first)") && readOutput.contains("appended"), "\(readOutput)")
        #expect(readOutput.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("0"), "scratch starts empty: \(readOutput)")
        try await stop(session, second)

        let (deleted, deleteOutput) = try await session.appctl(["volume", "delete", "state", "--project", project], log: "delete.log")
        #expect(deleted == 0, "\(deleteOutput)")
        let (_, spareDeleteOutput) = try await session.appctl(["volume", "delete", "spare", "--project", project], log: "delete-spare.log")
        let (_, emptyJSON) = try await session.appctl(["volume", "list", "--project", project, "-o", "json"], log: "list-2.log")
        #expect((try? JSONDecoder().decode([VolumeRecord].self, from: Data(emptyJSON.utf8)))?.isEmpty == true, "\(emptyJSON) \(spareDeleteOutput)")
        let leftovers = (try? FileManager.default.contentsOfDirectory(
            atPath: session.directory.appending("data/runtime/\(adapter)/volumes/\(project)").path)) ?? []
        #expect(leftovers.isEmpty, "the volumes' data is gone: \(leftovers)")

        // Audited, with the launch that provisioned `state`.
        let (_, _, records) = try await session.daemon.call(.GET, "/v1/audit/records?action=apps.volume.create&limit=100")
        let text = String(decoding: records, as: UTF8.self)
        #expect(text.contains("provisioned_by") && text.contains("instance/\(first)") && text.contains("spare"), "\(text)")
    }

    func launch(_ session: Session, adapter: String) async throws -> String {
        let (status, record) = try await session.json(
            InstanceRecord.self, .POST, "/v1/projects/\(session.project)/instances",
            body: #"{"app":"gpu-echo","version":"1.0.1","environment":"staging","adapter":""# + adapter + #""}"#)
        let id = try #require(record?.id, "launch answered \(status)")
        let ready = try await session.waitFor(id, phases: ["ready", "failed"])
        try #require(ready.phase == .ready, "\(ready)")
        return id
    }

    func stop(_ session: Session, _ id: String) async throws {
        _ = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(session.project)/instances/\(id)/stop", body: "{}")
        _ = try await session.waitFor(id, phases: ["stopped", "failed"])
    }

    func exec(_ session: Session, _ id: String, _ script: String) async throws -> (Int32?, String) {
        try await session.appctl(["instance", "exec", "--project", session.project, id, "--", "/bin/sh", "-c", script],
                                 log: "exec-\(UUID().uuidString.prefix(8)).log")
    }
}

import Foundation
import PlatformContracts
import PlatformTestKit
@testable import RuntimeKit
@testable import SlurmRuntimeAdapter
import Testing

@Suite("Layer merge and job script rendering")
struct LayerMergeTests {
    func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    @Test("opaque folders, whiteouts and a folder replacing a symlink: nothing outside the rootfs is touched")
    func whiteouts() async throws {
        try await withTemporaryDirectory { directory async throws in
            let rootfs = directory.appending("rootfs"), upper = directory.appending("upper"), outside = directory.appending("outside")
            try write("keep\n", outside.appendingPathComponent("victim"))
            try write("old\n", rootfs.appendingPathComponent("a/old"))
            try write("x\n", rootfs.appendingPathComponent("dir/x"))
            try write("stays\n", rootfs.appendingPathComponent("keep/file"))
            try FileManager.default.createSymbolicLink(atPath: rootfs.appendingPathComponent("link").path, withDestinationPath: outside.path)
            try write("", upper.appendingPathComponent("a/.wh..wh..opq"))
            try write("new\n", upper.appendingPathComponent("a/new"))
            try write("", upper.appendingPathComponent(".wh.dir"))
            try write("mine\n", upper.appendingPathComponent("link/victim"))
            try LayerMerge.merge(upper.path, into: rootfs.path)
            let fm = FileManager.default
            #expect(try fm.contentsOfDirectory(atPath: rootfs.appendingPathComponent("a").path) == ["new"], "opaque folder emptied first")
            #expect(!fm.fileExists(atPath: rootfs.appendingPathComponent("dir").path), "whiteout removed the folder")
            #expect(fm.fileExists(atPath: rootfs.appendingPathComponent("keep/file").path))
            let link = try fm.attributesOfItem(atPath: rootfs.appendingPathComponent("link").path)[.type] as? FileAttributeType
            #expect(link == .typeDirectory, "the layer's folder replaced the symlink instead of writing through it")
            #expect(try String(contentsOf: outside.appendingPathComponent("victim"), encoding: .utf8) == "keep\n")
            #expect(try String(contentsOf: rootfs.appendingPathComponent("link/victim"), encoding: .utf8) == "mine\n")
        }
    }

    @Test("a whiteout that names no entry is refused")
    func badWhiteout() async throws {
        try await withTemporaryDirectory { directory async throws in
            let rootfs = directory.appending("rootfs"), upper = directory.appending("upper")
            try FileManager.default.createDirectory(at: rootfs, withIntermediateDirectories: true)
            try write("", upper.appendingPathComponent(".wh.."))
            #expect(throws: PlatformError.self) { try LayerMerge.merge(upper.path, into: rootfs.path) }
            #expect(FileManager.default.fileExists(atPath: rootfs.path))
        }
    }

    @Test("hostile values stay inside their quotes in the rendered sbatch script")
    func hostileValues() throws {
        let template = try String(contentsOf: repositoryRoot().appendingPathComponent("runtime-adapters/slurm/job.sbatch.tmpl"), encoding: .utf8)
        let evil = "{{command}}'; touch /tmp/pwned; echo '"
        let spec = LaunchSpec(instanceId: "I1", project: "p", app: "x", version: "1", mode: .service,
                              image: .init(repository: "p/x", manifestDigest: try ContentDigest(parsing: "sha256:" + String(repeating: "a", count: 64))),
                              command: ["/bin/echo", evil], environment: ["GREETING": evil], gpus: GPURequest(model: "h100", count: 2))
        let script = try SlurmJobScript(template: template).render(
            spec: spec, folder: "/data/I1", rootfs: "/data/images/a/rootfs",
            image: .init(command: [], environment: [], workingDirectory: "/"), bwrap: "/usr/bin/bwrap", partition: "gpu")
        let quoted = SlurmJobScript.quote(evil)
        #expect(script.contains("--setenv 'GREETING' \(quoted)"))
        #expect(script.contains("-- '/bin/echo' \(quoted)"))
        #expect(script.contains("#SBATCH --gres=gpu:h100:2") && script.contains("#SBATCH --partition=gpu"))
        #expect(script.components(separatedBy: "{{").count - 1 == 2, "only the two literal copies of the value; no placeholder expanded twice")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/bash")
        check.arguments = ["-n", "-c", script]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "bash parses the rendered script")
    }
}

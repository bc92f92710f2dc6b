import AppCtlKit
import Foundation
import PlatformContracts
import PlatformTestKit
import Testing

@Suite("appctl artifact, evidence and signing-key commands")
struct ArtifactCommandTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Builds archives with Python's tarfile: a good OCI layout, and one malicious archive per kind.
    static let maker = #"""
    import io, sys, tarfile, gzip, os
    kind, out, layout = sys.argv[1], sys.argv[2], sys.argv[3]
    if kind == "good":
        with tarfile.open(out, "w:gz") as t:
            t.add(layout, arcname=".")
        sys.exit(0)
    buf = io.BytesIO()
    t = tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT)
    def add(info, data=b""):
        info.size = len(data) if info.type == tarfile.REGTYPE else 0
        t.addfile(info, io.BytesIO(data))
    if kind == "traversal":
        add(tarfile.TarInfo("../evil"), b"x")
    elif kind == "absolute":
        add(tarfile.TarInfo(os.path.join(os.path.dirname(out), "evil-absolute")), b"x")
    elif kind == "symlink":
        link = tarfile.TarInfo("blobs"); link.type = tarfile.SYMTYPE; link.linkname = ".."
        add(link); add(tarfile.TarInfo("blobs/evil"), b"x")
    elif kind == "device":
        dev = tarfile.TarInfo("dev-null"); dev.type = tarfile.CHRTYPE; dev.devmajor = 1; dev.devminor = 3
        add(dev)
    t.close()
    data = buf.getvalue()
    if kind == "bomb":
        info = tarfile.TarInfo("blobs/sha256/huge"); info.size = 10 * 1000 ** 3
        data = info.tobuf(format=tarfile.GNU_FORMAT) + b"\0" * 4096
    with gzip.open(out, "wb") as f:
        f.write(data)
    """#

    @Test("push a layout and an archive, refuse malicious archives, sign, attach evidence, promote and pull by digest")
    func publishFlow() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", directory.appending("server/bootstrap-admin.key").path).exitCode == 0)
                #expect(await appctl.run("tenant", "create", "acme").exitCode == 0)
                let project = try JSONDecoder().decode(
                    Project.self, from: Data(await appctl.run("project", "create", "vision", "--tenant", "acme", "-o", "json").output.utf8))
                let repository = "\(project.id.lowercased())/app"

                let layout = directory.appending("layout").path
                let build = try ChildProcess("/bin/bash", [Self.repositoryRoot.appendingPathComponent("scripts/oci/make-image.sh").path, layout],
                                             outputPath: directory.appending("make.log").path)
                #expect(await build.wait(timeout: .seconds(120)) == 0, "\(build.output)")
                let archives = directory.appending("archives")
                try FileManager.default.createDirectory(at: archives, withIntermediateDirectories: true)
                for kind in ["good", "traversal", "absolute", "symlink", "device", "bomb"] {
                    let make = try ChildProcess("/usr/bin/env", ["python3", "-c", Self.maker, kind, archives.appendingPathComponent("\(kind).tar.gz").path, layout],
                                                outputPath: directory.appending("\(kind).log").path)
                    #expect(await make.wait(timeout: .seconds(60)) == 0, "\(make.output)")
                }

                let pushed = await appctl.run("artifact", "push", archives.appendingPathComponent("good.tar.gz").path, "\(repository):v1", "-o", "json")
                #expect(pushed.exitCode == 0, "\(pushed.errorOutput)")
                struct Pushed: Decodable { var digest: String; var blobsPushed: Int }
                let result = try JSONDecoder().decode(Pushed.self, from: Data(pushed.output.utf8))
                #expect(result.blobsPushed >= 2)
                let again = await appctl.run("artifact", "push", layout, "\(repository):v1", "-o", "json")
                #expect(try JSONDecoder().decode(Pushed.self, from: Data(again.output.utf8)).blobsPushed == 0, "existing blobs are skipped")

                let expected: [String: String] = [
                    "traversal": "artifacts.archive_unsafe", "absolute": "artifacts.archive_unsafe", "symlink": "artifacts.archive_unsafe",
                    "device": "artifacts.archive_unsafe", "bomb": "artifacts.archive_too_large",
                ]
                for (kind, code) in expected.sorted(by: { $0.key < $1.key }) {
                    let refused = await appctl.run("artifact", "push", archives.appendingPathComponent("\(kind).tar.gz").path, "\(repository):bad")
                    #expect(refused.exitCode == 65 && refused.errorOutput.contains(code), "\(kind): \(refused.errorOutput)")
                }
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path) + (try FileManager.default.contentsOfDirectory(atPath: archives.path))
                #expect(!leftovers.contains { $0.hasPrefix("evil") }, "nothing was written outside the import folder: \(leftovers)")
                let temporary = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
                // `../evil` and the escaping link `blobs -> ..` both aim at the temporary folder itself.
                #expect(!temporary.contains { $0 == "evil" }, "nothing escaped into the temporary folder")

                let reference = "\(repository)@\(result.digest)"
                let keyPath = directory.appending("signer.pem").path
                #expect(await appctl.run("signing-key", "generate", "--out", keyPath).exitCode == 0)
                let early = await appctl.run("artifact", "sign", reference, "--key", keyPath, "--source-repo", "https://git.example/vision", "--source-commit", "feedbeef")
                #expect(early.exitCode == 65 && early.errorOutput.contains("artifacts.signature_key_unknown"))
                #expect(await appctl.run("signing-key", "add", "--project", project.id, "--name", "ci", "--public-key", keyPath).exitCode == 65,
                        "a private key file is refused as a public key")
                #expect(await appctl.run("signing-key", "add", "--project", project.id, "--name", "ci", "--public-key", keyPath + ".pub").exitCode == 0)
                let signed = await appctl.run("artifact", "sign", reference, "--key", keyPath, "--source-repo", "https://git.example/vision", "--source-commit", "feedbeef")
                #expect(signed.exitCode == 0, "\(signed.errorOutput)")
                let status = await appctl.run("artifact", "status", "\(repository):v1")
                #expect(status.output.contains("State     verified") && status.output.contains("https://git.example/vision @ feedbeef"), "\(status.output)")

                let blocked = await appctl.run("artifact", "promote", reference, "--to", "staging")
                #expect(blocked.exitCode == 77 && blocked.errorOutput.contains("ready-within"), "\(blocked.errorOutput)")
                let report = directory.appending("ready.json")
                try Data(#"{"seconds": 9}"#.utf8).write(to: report)
                #expect(await appctl.run("evidence", "attach", reference, report.path, "--type", "ready-within", "--key", keyPath).exitCode == 0)
                let promoted = await appctl.run("artifact", "promote", reference, "--to", "staging")
                #expect(promoted.exitCode == 0 && promoted.output.contains("promoted:staging"), "\(promoted.errorOutput)")

                let pulled = await appctl.run("artifact", "pull", reference, directory.appending("pulled").path)
                #expect(pulled.exitCode == 0, "\(pulled.errorOutput)")
                let index = try String(contentsOf: directory.appending("pulled/index.json"), encoding: .utf8)
                #expect(index.contains(result.digest))
                #expect(await appctl.run("artifact", "list", "--project", project.id).output.contains("promoted:staging"))
            }
        }
    }
}

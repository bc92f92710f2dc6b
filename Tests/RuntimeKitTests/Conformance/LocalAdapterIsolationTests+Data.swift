import Foundation
import LocalRuntimeAdapter
import PlatformContracts
import RuntimeKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 21, point 6: an instance's secrets and volumes are its own. Inside, only the
/// instance (and a command exec'd into it) sees them; another instance has no such path in
/// its mount namespace and, given the host path, its uid range is refused by the owners and
/// modes the adapter set (the host side of a secret is a 0700 tmpfs of the instance's mapped
/// root, files 0400; a volume's files belong to the mounting instance's range).
extension LocalAdapterIsolationTests {
    @Test("secrets and volumes stay with their instance: an exec in it reads and writes them, another instance sees nothing and its uid is refused on the host paths")
    func secretsAndVolumesStayWithTheirInstance() async throws {
        try await withIsolationFixture { fixture in
            let loop = "trap 'exit 0' TERM; echo serving; while true; do sleep 0.2; done"
            var specA = fixture.spec("ISO-DATA-A", command: ["/bin/sh", "-c", loop])
            specA.secrets = [SecretDelivery(name: "DB_PASSWORD", ref: "secret://p1/db-password")]
            specA.secretValues = ["DB_PASSWORD": Array("s3cr3t-of-a".utf8)]
            specA.volumes = [VolumeMount(name: "data", mountPath: "/data", kind: .persistent, sizeMiB: 16, volumeId: "01JISOVOLUMEA0000000000000"),
                             VolumeMount(name: "scratch", mountPath: "/scratch", kind: .scratch, sizeMiB: 8)]
            let a = try await fixture.adapter.start(specA, plan: try await fixture.adapter.plan(specA))
            let b = try await fixture.start("ISO-DATA-B", loop)
            _ = try await fixture.running(a)
            _ = try await fixture.running(b)

            // The owner, through exec: its secret, its volume, its scratch.
            let own = try await fixture.adapter.exec(a, command: ["/bin/sh", "-c",
                "cat /run/secrets/DB_PASSWORD; echo; echo from-a > /data/note && cat /data/note; echo scratch > /scratch/s && cat /scratch/s; cat /proc/self/uid_map"],
                timeout: .seconds(30))
            #expect(own.status == 0 && own.output.contains("s3cr3t-of-a") && own.output.contains("from-a") && own.output.contains("scratch"), "\(own)")
            // Another instance: no secrets, no volume, nothing of A's.
            let other = try await fixture.adapter.exec(b, command: ["/bin/sh", "-c",
                "ls -A /run/secrets /data /scratch 2>&1; cat /run/secrets/DB_PASSWORD /data/note 2>&1; cat /proc/self/uid_map"], timeout: .seconds(30))
            #expect(!other.output.contains("s3cr3t-of-a") && !other.output.contains("from-a"), "\(other)")

            // The host paths: owned by A's range, closed to B's.
            let uidA = try #require(Self.mappedRoot(own.output)), uidB = try #require(Self.mappedRoot(other.output))
            #expect(uidA != uidB && uidA >= 1_000_000_000 && uidB >= 1_000_000_000)
            let slot = try #require(fixture.slot(of: a))
            let secrets = "/run/platformd/secrets/\(slot)"
            var info = stat()
            #expect(stat(secrets, &info) == 0 && Int(info.st_uid) == uidA && info.st_mode & 0o077 == 0, "\(secrets): uid \(info.st_uid) mode \(String(info.st_mode, radix: 8))")
            let volume = "/run/platformd/volumes/\(slot)/0"
            let asA = try await Self.runAs(uidA, "cat \(secrets)/DB_PASSWORD; cat \(volume)/note")
            #expect(asA.status == 0 && asA.stdout.contains("s3cr3t-of-a") && asA.stdout.contains("from-a"), "the owner's uid reads them: \(asA)")
            let asB = try await Self.runAs(uidB, "cat \(secrets)/DB_PASSWORD; cat \(volume)/note; echo intruder > \(volume)/intruder")
            #expect(!asB.stdout.contains("s3cr3t-of-a") && !asB.stdout.contains("from-a"), "B's uid read A's data: \(asB)")
            #expect(!FileManager.default.fileExists(atPath: "\(volume)/intruder"), "B's uid wrote into A's volume")

            try await fixture.adapter.destroy(a)
            try await fixture.adapter.destroy(b)
            #expect(!FileManager.default.fileExists(atPath: "\(secrets)/DB_PASSWORD"), "the secrets tmpfs is gone with the instance")
        }
    }

    /// The host uid container uid 0 maps to, from a `/proc/self/uid_map` line in `output`.
    static func mappedRoot(_ output: String) -> Int? {
        for line in output.split(separator: "\n") {
            let numbers: [Int] = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int($0) }
            if numbers.count == 3, numbers[0] == 0, numbers[2] == 65536 { return numbers[1] }
        }
        return nil
    }

    /// `script` run on the host as `uid` (and gid), no supplementary groups.
    static func runAs(_ uid: Int, _ script: String) async throws -> HostCommandResult {
        try await HostCommand.run("setpriv", ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "/bin/sh", "-c", script], timeout: .seconds(30))
    }
}

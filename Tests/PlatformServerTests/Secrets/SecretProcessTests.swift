import Crypto
import Foundation
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Secrets end to end on the real `platformd` with the local (runc) adapter and its
/// isolation: `appctl secret` set/list/rotate/delete and `master-key rotate`, a launch of
/// gpu-echo whose manifest asks for a file-only and an env secret, what the instance sees
/// (compared by hash, so no value passes through an exec answer), then THE leak check: the
/// server's log, every audit record, every API answer and appctl output seen, and the
/// database (the SQLite files' bytes, or a `pg_dump` of the PostgreSQL database) hold no
/// plaintext, raw or base64.
@Suite("Secrets end to end (real platformd, runc, appctl)", .serialized, .tags(.integration))
struct SecretProcessTests {
    typealias Session = InstanceProcessTests.Session

    @Test("secrets reach the instance as tmpfs files and env where asked, rotate (value and master key) and never leak",
          arguments: ServerBackend.enabled)
    func secretsAreDeliveredAndNeverLeak(backend: ServerBackend) async throws {
        let databaseURL = try await backend.databaseURL()
        try await withTemporaryDirectory { directory async throws in
            var daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0,
                                                                    extra: databaseURL.map { ["--database-url", $0] } ?? [])
            do {
                try await daemon.makeProject()
                let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
                try await scenario(Session(daemon: daemon, project: project, directory: directory, cluster: nil), databaseURL: databaseURL)
            } catch {
                daemon.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                throw error
            }
            daemon.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
        }
    }

    /// Everything the test saw come back from the server or appctl.
    final class Seen: @unchecked Sendable {
        var texts: [(what: String, text: String)] = []
        func add(_ what: String, _ text: String) { texts.append((what, text)) }
        func add(_ what: String, _ data: Data) { texts.append((what, String(decoding: data, as: UTF8.self))) }
    }

    func scenario(_ session: Session, databaseURL: String?) async throws {
        let project = session.project
        let seen = Seen()
        let password = "pw-\(UUID().uuidString)"
        let token = "tok-\(UUID().uuidString)"
        let rotatedPassword = "pw2-\(UUID().uuidString)"
        let secretFiles = session.directory.appending("values")
        try FileManager.default.createDirectory(at: secretFiles, withIntermediateDirectories: true)
        for (name, value) in [("pw", password), ("tok", token), ("pw2", rotatedPassword)] {
            try Data(value.utf8).write(to: secretFiles.appendingPathComponent(name))
        }
        func appctl(_ arguments: [String], _ log: String) async throws -> (Int32?, String) {
            let result = try await session.appctl(arguments, log: log)
            seen.add("appctl \(arguments.prefix(3).joined(separator: " "))", result.1)
            return result
        }
        func call(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> (UInt, Data) {
            let (status, _, data) = try await session.daemon.call(method, path, body: body.map { Data($0.utf8) })
            seen.add("\(method) \(path)", data)
            return (status, data)
        }

        try await session.publishReferenceApp()
        // gpu-echo 1.0.2: the published image, with a file-only secret and one also in the environment,
        // referenced by the project's name.
        let reference = try String(contentsOf: InstanceProcessTests.root.appendingPathComponent("manifests/apps/gpu-echo.yaml"), encoding: .utf8)
        let manifest = reference.replacingOccurrences(of: "\n  version: 1.0.0\n", with: "\n  version: 1.0.2\n") + """

            secrets:
              - name: DB_PASSWORD
                ref: secret://apps/db-password
              - name: API_TOKEN
                ref: secret://apps/api-token
                env: true

            """
        let file = session.directory.appending("gpu-echo-secrets.yaml")
        try Data(manifest.utf8).write(to: file)
        let (registered, registerOutput) = try await appctl(["app", "register", file.path, "--project", project], "register.log")
        try #require(registered == 0, "\(registerOutput)")

        // Before the secrets exist the launch is refused at admission.
        let launchBody = #"{"app":"gpu-echo","version":"1.0.2","environment":"staging","adapter":"local"}"#
        let (refused, refusedBody) = try await call(.POST, "/v1/projects/\(project)/instances", body: launchBody)
        #expect(refused == 404 && String(decoding: refusedBody, as: UTF8.self).contains("secret.not_found"),
                "\(String(decoding: refusedBody, as: UTF8.self))")

        let (setPassword, setOutput) = try await appctl(["secret", "set", "db-password", "--purpose", "database-credential", "--from-file",
                                                         secretFiles.appendingPathComponent("pw").path, "--project", project], "set-pw.log")
        #expect(setPassword == 0 && setOutput.contains("version 1"), "\(setOutput)")
        let (setToken, tokenOutput) = try await appctl(["secret", "set", "api-token", "--purpose", "api-token", "--from-file",
                                                        secretFiles.appendingPathComponent("tok").path, "--project", project], "set-tok.log")
        #expect(setToken == 0, "\(tokenOutput)")
        let (_, listJSON) = try await appctl(["secret", "list", "--project", project, "-o", "json"], "list.log")
        let listed = try JSONDecoder().decode([SecretRecord].self, from: Data(listJSON.utf8))
        #expect(listed.map(\.name) == ["api-token", "db-password"] && listed.allSatisfy { $0.version == 1 }, "\(listJSON)")

        // The instance sees the file (0400, read-only, on a tmpfs) and the variable only where asked.
        let first = try await launch(session, call, launchBody)
        let (checked, checkOutput) = try await exec(session, first, appctl)
        #expect(checked == 0, "\(checkOutput)")
        #expect(checkOutput.contains("file=\(Self.sha256(password))"), "\(checkOutput)")
        #expect(checkOutput.contains("env=\(Self.sha256(token))"), "\(checkOutput)")
        #expect(checkOutput.contains("nodbenv=\n") || checkOutput.contains("nodbenv=\r\n"), "DB_PASSWORD is no variable: \(checkOutput)")
        #expect(checkOutput.contains("mode=-r--------") && checkOutput.contains("fs=tmpfs") && checkOutput.contains("read-only"), "\(checkOutput)")

        // Master-key rotation without downtime: a new primary first in the key file, then re-wrap.
        let keyFile = session.directory.appending("data/secrets-master.key")
        let keys = try String(contentsOf: keyFile, encoding: .utf8)
        var fresh = [UInt8](repeating: 0, count: 32)
        for index in fresh.indices { fresh[index] = UInt8.random(in: 0...255) }
        try Data((Data(fresh).base64EncodedString() + "\n" + keys).utf8).write(to: keyFile)
        chmod(keyFile.path, 0o600)
        let (rotatedKey, rotateKeyOutput) = try await appctl(["secret", "master-key", "rotate", "-o", "json"], "master-key.log")
        let rotation = try JSONDecoder().decode(MasterKeyRotation.self, from: Data(rotateKeyOutput.utf8))
        #expect(rotatedKey == 0 && rotation.rewrapped == 2, "\(rotateKeyOutput)")
        let (rotated, rotatedOutput) = try await appctl(["secret", "rotate", "db-password", "--from-file", secretFiles.appendingPathComponent("pw2").path,
                                                         "--project", project], "rotate.log")
        #expect(rotated == 0 && rotatedOutput.contains("version 2"), "\(rotatedOutput)")
        try await stop(session, call, first)

        // The next launch gets the rotated value, unwrapped under the new master key.
        let second = try await launch(session, call, launchBody)
        let (_, secondOutput) = try await exec(session, second, appctl)
        #expect(secondOutput.contains("file=\(Self.sha256(rotatedPassword))") && secondOutput.contains("env=\(Self.sha256(token))"),
                "\(secondOutput)")
        let (_, logs) = try await call(.GET, "/v1/projects/\(project)/instances/\(second)/logs")
        _ = logs
        try await stop(session, call, second)

        // Deleted: launches are refused again.
        let (deleted, deleteOutput) = try await appctl(["secret", "delete", "api-token", "--project", project], "delete.log")
        #expect(deleted == 0, "\(deleteOutput)")
        let (refusedAgain, _) = try await call(.POST, "/v1/projects/\(project)/instances", body: launchBody)
        #expect(refusedAgain == 404)

        // Every reveal is audited with its instance; no record carries a value.
        let (_, auditData) = try await call(.GET, "/v1/audit/records?after=0&limit=1000")
        let records = try JSONDecoder().decode([AuditRecord].self, from: auditData)
        let reads = records.filter { $0.action == "secrets.secret.read" }
        #expect(reads.count == 4 && Set(reads.compactMap { $0.details["instance"] }) == [first, second], "\(reads)")
        #expect(Set(records.map(\.action)).isSuperset(of: ["secrets.secret.set", "secrets.secret.rotate", "secrets.secret.delete",
                                                           "secrets.masterkey.rotate"]))
        for path in ["/v1/projects/\(project)/secrets", "/v1/projects/\(project)/instances", "/v1/projects/\(project)/instances/\(first)/events"] {
            _ = try await call(.GET, path)
        }

        // THE leak check.
        seen.add("platformd log", try String(contentsOf: session.directory.appending("platformd-0.log"), encoding: .utf8))
        if let databaseURL {
            seen.add("pg_dump", try await Self.pgDump(databaseURL, into: session.directory))
        } else {
            for name in ["platform.db", "platform.db-wal", "platform.db-shm"] {
                if let bytes = FileManager.default.contents(atPath: session.directory.appending("data/\(name)").path) {
                    seen.texts.append((name, String(decoding: bytes, as: UTF8.self)))
                    #expect(!Self.contains(bytes, password) && !Self.contains(bytes, token) && !Self.contains(bytes, rotatedPassword), "\(name)")
                }
            }
        }
        #expect(seen.texts.count > 20)
        for value in [password, token, rotatedPassword] {
            for needle in [value, Data(value.utf8).base64EncodedString()] {
                let leaks = seen.texts.filter { $0.text.contains(needle) }.map(\.what)
                #expect(leaks.isEmpty, "a secret value is in: \(leaks)")
            }
        }
    }

    func launch(_ session: Session, _ call: (HTTPMethod, String, String?) async throws -> (UInt, Data), _ body: String) async throws -> String {
        let (status, data) = try await call(.POST, "/v1/projects/\(session.project)/instances", body)
        let record = try? JSONDecoder().decode(InstanceRecord.self, from: data)
        let id = try #require(record?.id, "launch answered \(status): \(String(decoding: data, as: UTF8.self))")
        let ready = try await session.waitFor(id, phases: ["ready", "failed"])
        try #require(ready.phase == .ready, "\(ready)")
        return id
    }

    func stop(_ session: Session, _ call: (HTTPMethod, String, String?) async throws -> (UInt, Data), _ id: String) async throws {
        _ = try await call(.POST, "/v1/projects/\(session.project)/instances/\(id)/stop", "{}")
        _ = try await session.waitFor(id, phases: ["stopped", "failed"])
    }

    /// What the instance sees of its secrets, as hashes and attributes (never a value).
    func exec(_ session: Session, _ id: String, _ appctl: ([String], String) async throws -> (Int32?, String)) async throws -> (Int32?, String) {
        let script = #"set -- $(ls -l /run/secrets/DB_PASSWORD); echo "mode=$1"; "#
            + #"echo "file=$(/bin/busybox sha256sum /run/secrets/DB_PASSWORD | /bin/busybox cut -d' ' -f1)"; "#
            + #"echo "env=$(printf '%s' "$API_TOKEN" | /bin/busybox sha256sum | /bin/busybox cut -d' ' -f1)"; "#
            + #"echo "nodbenv=$DB_PASSWORD"; "#
            + #"grep ' /run/secrets ' /proc/mounts | sed 's/^[^ ]* [^ ]* \([^ ]*\).*/fs=\1/'; "#
            + #"if (echo x > /run/secrets/DB_PASSWORD) 2>/dev/null; then echo writable; else echo read-only; fi"#
        return try await appctl(["instance", "exec", "--project", session.project, id, "--", "/bin/sh", "-c", script],
                                "exec-\(UUID().uuidString.prefix(8)).log")
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func contains(_ bytes: Data, _ text: String) -> Bool {
        bytes.range(of: Data(text.utf8)) != nil || bytes.range(of: Data(Data(text.utf8).base64EncodedString().utf8)) != nil
    }

    /// `pg_dump` of the server's database (plain SQL, data included).
    static func pgDump(_ url: String, into directory: TemporaryDirectory) async throws -> String {
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap(Int.init).sorted()
        let bin = ProcessInfo.processInfo.environment["PLATFORM_TEST_PG_BIN"]
            ?? versions.reversed().map { "\(base)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/pg_dump") }
        let dump = try ChildProcess(try #require(bin, "pg_dump not found") + "/pg_dump", ["--dbname=\(url)", "--data-only", "--inserts"],
                                    outputPath: directory.appending("pg_dump.sql").path)
        #expect(await dump.wait(timeout: .seconds(60)) == 0, "\(dump.output.prefix(2000))")
        #expect(dump.output.contains("secrets_versions"), "the dump holds the secret tables")
        return dump.output
    }
}

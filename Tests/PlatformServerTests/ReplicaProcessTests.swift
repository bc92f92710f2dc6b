import AsyncHTTPClient
import Foundation
import Glibc
import NIOCore
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

/// Two real `platformd` replicas (`--replica-id a` and `b`, 3 s instance leases) on one
/// PostgreSQL database and one data directory, behind HAProxy (Debian's package, round robin,
/// health-checked on `/livez`): what a scaled-out installation runs.
@Suite("Two replicas on one PostgreSQL behind HAProxy (real platformd, runc, skopeo)", .serialized, .tags(.integration))
struct ReplicaProcessTests {
    typealias Session = InstanceProcessTests.Session

    static var haproxyInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/haproxy") }

    @Test("push through A, pull through B; launch on A, stop on B; a key revoked on A refused on B within 1 s; kill -9 A mid-launch and B brings the instance to ready or failed with a reason; HAProxy keeps answering; a running instance outlives kill -9 of its replica and the other takes it over",
          .enabled(if: PostgresServer.isEnabled && haproxyInstalled))
    func replicaPair() async throws {
        try await withTemporaryDirectory { directory async throws in
            let database = try await PostgresServer.shared.makeDatabase()
            let replica = { (name: String, round: Int) in
                try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: round, extra: [
                    "--database-url", database, "--replica-id", name, "--instance-lease", "3",
                ])
            }
            var a = try await replica("a", 0)
            var b: RegistryProcessTests.Daemon?
            var proxy: ChildProcess?
            do {
                b = try await replica("b", 1)
                let replicaB = try #require(b)
                proxy = try await Self.startHAProxy(directory, backends: [a.port, replicaB.port])
                try await Self.check(directory, &a, replicaB, database: database, proxy: try #require(proxy))
            } catch {
                a.process.signal(SIGKILL)
                b?.process.signal(SIGKILL)
                proxy?.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                throw error
            }
            a.process.signal(SIGKILL)
            b?.process.signal(SIGKILL)
            proxy?.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
        }
    }

    static func check(_ directory: TemporaryDirectory, _ a: inout RegistryProcessTests.Daemon, _ replicaB: RegistryProcessTests.Daemon,
                      database: String, proxy: ChildProcess) async throws {
        try await a.makeProject()
        let project = String(a.repository.split(separator: "/")[0]).uppercased()
        let onA = Session(daemon: a, project: project, directory: directory, cluster: nil)
        var b = replicaB
        b.repository = a.repository
        let onB = Session(daemon: b, project: project, directory: directory, cluster: nil)
        let balanced = RegistryProcessTests.Daemon(process: proxy, base: "http://127.0.0.1:\(proxyPort(directory))", port: proxyPort(directory), key: a.key)
        let launches = "/v1/projects/\(project)/instances"

        // Push through A (appctl, as a developer publishes), pull through B (skopeo).
        try await onA.publishReferenceApp(["--to", "staging"])
        let repository = "\(project.lowercased())/gpu-echo"
        let pulled = directory.appending("pulled").path
        let tags = try JSONDecoder().decode(RegistryTags.self, from: try await b.call(.GET, "/v2/\(repository)/tags/list").2)
        let tag = try #require(tags.tags?.first, "\(tags)")
        let copy = try ChildProcess("/usr/bin/skopeo", [
            "copy", "--src-tls-verify=false", "--src-creds", "u:\(b.key)", "docker://127.0.0.1:\(b.port)/\(repository):\(tag)", "oci:\(pulled)",
        ], outputPath: directory.appending("skopeo-pull-b.log").path)
        #expect(await copy.wait(timeout: .seconds(120)) == 0, "\(copy.output)")

        // Launched on A, read and stopped on B.
        let (_, launched) = try await onA.json(InstanceRecord.self, .POST, launches,
                                               body: #"{"app":"gpu-echo","environment":"staging","adapter":"local"}"#)
        let first = try #require(launched)
        let ready = try await onB.waitFor(first.id, phases: ["ready", "failed"], timeout: .seconds(120))
        #expect(ready.phase == .ready, "\(ready)")
        // A connect session opened on B (which does not supervise it) and proxied by A.
        let (openStatus, opened) = try await onB.json(ConnectSessionRecord.self, .POST, "\(launches)/\(first.id)/connect",
                                                      body: #"{"action":"live"}"#)
        #expect(openStatus == 201 || openStatus == 200, "connect on B: \(openStatus)")
        let session = try #require(opened)
        let proxied = try await Self.status(a.base + "/i/\(first.id)/live/healthz", key: try #require(session.token))
        #expect(proxied == 200, "B's session through A's proxy: \(proxied)")
        let (stopStatus, stopping) = try await onB.json(InstanceRecord.self, .POST, "\(launches)/\(first.id)/stop")
        #expect(stopStatus == 200 || stopStatus == 202, "stop on B: \(stopStatus)")
        #expect(stopping?.phase == .stopping || stopping?.phase == .stopped, "A acted on the stop asked on B: \(String(describing: stopping))")
        let stopped = try await onA.waitFor(first.id, phases: ["stopped", "failed"], timeout: .seconds(60))
        #expect(stopped.phase == .stopped, "\(stopped)")
        // A ended the session B opened when the instance stopped, and B no longer serves it.
        let (_, sessions) = try await onB.json([ConnectSessionRecord].self, .GET, "/v1/projects/\(project)/connect-sessions")
        #expect(sessions?.first { $0.id == session.id }?.endedAt != nil, "\(sessions ?? [])")
        #expect(try await Self.status(b.base + "/i/\(first.id)/live/healthz", key: try #require(session.token)) != 200)

        // A key revoked on A is refused on B within a second (LISTEN/NOTIFY).
        let account = try JSONDecoder().decode(ServiceAccount.self, from: try await a.call(
            .POST, "/v1/projects/\(project)/serviceaccounts", body: Data(#"{"name":"reader","role":"developer"}"#.utf8)).2)
        let issued = try JSONDecoder().decode(IssuedKey.self, from: try await a.call(.POST, "/v1/keys", body: Data("""
            {"serviceAccount":"\(account.id)","scopes":["apps:instance:read"],"expiresInSeconds":3600}
            """.utf8)).2)
        #expect(try await Self.status(b.base + launches, key: issued.key) == 200, "the new key works on B")
        let (revokeStatus, _, _) = try await a.call(.POST, "/v1/keys/\(issued.info.id)/revoke", body: Data("{}".utf8))
        #expect(revokeStatus == 200)
        let revokedAt = ContinuousClock.now
        var refusedAfter: Duration?
        while ContinuousClock.now - revokedAt < .seconds(10) {
            if try await Self.status(b.base + launches, key: issued.key) == 401 { refusedAfter = ContinuousClock.now - revokedAt; break }
            try await Task.sleep(for: .milliseconds(10))
        }
        print("figure: a key revoked on replica A was refused on replica B \(refusedAfter.map { "\($0)" } ?? "never") after A's answer")
        #expect(try #require(refusedAfter) < .seconds(1))

        // Through HAProxy, both replicas answer.
        for _ in 0..<6 { #expect(try await Self.status(balanced.base + launches, key: a.key) == 200) }

        // kill -9 A right after it admitted a launch: B takes the instance over once A's
        // lease lapses and brings it to ready (it re-attaches the container A started) or to
        // failed, saying why (A died before the container was started).
        let (_, admitted) = try await onA.json(InstanceRecord.self, .POST, launches,
                                               body: #"{"app":"gpu-echo","environment":"staging","adapter":"local"}"#)
        a.process.signal(SIGKILL)
        let orphan = try #require(admitted)
        let killedAt = ContinuousClock.now
        let settled = try await onB.waitFor(orphan.id, phases: ["ready", "failed"], timeout: .seconds(120))
        print("figure: replica A killed with the instance \(orphan.phase.name); replica B brought it to \(settled.phase.name) \(ContinuousClock.now - killedAt) later (3 s lease): \(settled.message ?? "")")
        #expect(settled.phase == .ready || (settled.phase.failureReason != nil && !(settled.message ?? "").isEmpty), "\(settled)")
        let (_, events) = try await onB.json([InstanceEvent].self, .GET, "\(launches)/\(orphan.id)/events")
        #expect((events ?? []).first?.phase == .accepted, "\(events ?? [])")

        // HAProxy sends everything to B now; a stop through it ends the instance.
        for _ in 0..<6 { #expect(try await Self.status(balanced.base + launches, key: a.key) == 200) }
        if settled.phase == .ready {
            let session = Session(daemon: balanced, project: project, directory: directory, cluster: nil)
            _ = try await session.json(InstanceRecord.self, .POST, "\(launches)/\(orphan.id)/stop")
            #expect(try await session.waitFor(orphan.id, phases: ["stopped", "failed"], timeout: .seconds(60)).phase == .stopped)
        }

        // A comes back (same id, same data directory). An instance running on B outlives B's
        // kill -9: A takes it over once B's lease lapses and re-attaches its container, which
        // keeps serving; only a supervisor can finish a stop, and A does.
        a = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 2, extra: [
            "--database-url", database, "--replica-id", "a", "--instance-lease", "3",
        ])
        let onA2 = Session(daemon: a, project: project, directory: directory, cluster: nil)
        let (_, launchedOnB) = try await onB.json(InstanceRecord.self, .POST, launches,
                                                  body: #"{"app":"gpu-echo","environment":"staging","adapter":"local"}"#)
        let survivor = try await onB.waitFor(try #require(launchedOnB).id, phases: ["ready", "failed"], timeout: .seconds(120))
        #expect(survivor.phase == .ready, "\(survivor)")
        let url = try #require(survivor.endpoints.first { $0.name == "http" }?.url)
        b.process.signal(SIGKILL)
        let bKilledAt = ContinuousClock.now
        try await Task.sleep(for: .seconds(5))  // B's 3 s lease lapses; A's next renewal takes the instance over
        #expect(try await Self.status(url + "/", key: "") == 200, "the container kept serving through B's death")
        let (_, stoppingOnA) = try await onA2.json(InstanceRecord.self, .POST, "\(launches)/\(survivor.id)/stop")
        #expect(stoppingOnA?.phase == .stopping, "A supervises it now: \(String(describing: stoppingOnA))")
        let ended = try await onA2.waitFor(survivor.id, phases: ["stopped", "failed"], timeout: .seconds(60))
        print("figure: replica B killed with the instance ready; replica A stopped it \(ContinuousClock.now - bKilledAt) later (3 s lease, 5 s wait)")
        #expect(ended.phase == .stopped, "\(ended)")
    }

    struct RegistryTags: Decodable { var tags: [String]? }

    static func status(_ url: String, key: String) async throws -> UInt {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 22)
        return response.status.code
    }

    static func proxyPort(_ directory: TemporaryDirectory) -> Int {
        Int((try? String(contentsOf: directory.appending("haproxy.port"), encoding: .utf8)) ?? "") ?? 0
    }

    /// HAProxy round-robin over the replicas, each health-checked on `/livez` every 300 ms.
    static func startHAProxy(_ directory: TemporaryDirectory, backends: [Int]) async throws -> ChildProcess {
        let port = freeLocalPort()
        try String(port).write(to: directory.appending("haproxy.port"), atomically: true, encoding: .utf8)
        let servers = backends.enumerated().map { "  server r\($0.offset) 127.0.0.1:\($0.element) check" }.joined(separator: "\n")
        let config = """
            global
              maxconn 1024
            defaults
              mode http
              timeout connect 2s
              timeout client 120s
              timeout server 120s
              retries 2
              option redispatch
            frontend replicas_in
              bind 127.0.0.1:\(port)
              default_backend replicas
            backend replicas
              balance roundrobin
              option httpchk GET /livez
              default-server inter 300ms fall 2 rise 1
            \(servers)

            """
        let path = directory.appending("haproxy.cfg").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let process = try ChildProcess("/usr/sbin/haproxy", ["-db", "-f", path], outputPath: directory.appending("haproxy.log").path)
        for _ in 0..<100 {
            if (try? await status("http://127.0.0.1:\(port)/livez", key: "")) == 200 { return process }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.signal(SIGKILL)
        throw TestImageError(message: "HAProxy did not come up: \(process.output)")
    }
}

import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Connect end to end through the reference app on the real `platformd` (local runc
/// adapter): the web proxy (HTTP and a WebSocket echo), a TCP round trip through
/// `appctl connect --local-port`, a real `ssh` through `appctl connect --stdio` with a
/// session certificate; and the refusals: another project's principal, an expired, a
/// revoked and a reused session, a credential copied to another instance, a stopped instance.
@Suite("Connect end to end (real platformd, runc, appctl, ssh)", .serialized, .tags(.integration))
struct ConnectProcessTests {
    typealias Session = InstanceProcessTests.Session

    @Test("web + WebSocket through the proxy, TCP through --local-port, ssh through --stdio; foreign, expired, revoked, copied and stopped refused")
    func connect() async throws {
        try await withTemporaryDirectory { directory async throws in
            // Idle stop is proven in the fast tier (Tests/AppPlatformTests, a manual clock), not here.
            var daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0)
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            do {
                try await daemon.makeProject()
                let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
                let session = Session(daemon: daemon, project: project, directory: directory, cluster: nil)
                try await scenario(session, client: client)
            } catch {
                daemon.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                try? await client.shutdown()
                throw error
            }
            daemon.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
            try await client.shutdown()
        }
    }

    func scenario(_ session: Session, client: HTTPClient) async throws {
        let daemon = session.daemon, project = session.project, directory = session.directory
        try await session.publishReferenceApp()
        let launches = "/v1/projects/\(project)/instances"
        let (_, first) = try await session.json(InstanceRecord.self, .POST, launches, body: #"{"app":"gpu-echo","environment":"staging","adapter":"local"}"#)
        let (_, second) = try await session.json(InstanceRecord.self, .POST, launches, body: #"{"app":"gpu-echo","environment":"staging","adapter":"local"}"#)
        let a = try await session.waitFor(try #require(first?.id), phases: ["ready", "failed"])
        let b = try await session.waitFor(try #require(second?.id), phases: ["ready", "failed"])
        try #require(a.phase == .ready && b.phase == .ready, "\(a) \(b)")

        // Web: a one-time URL sets the cookie and redirects to the prefix; the app answers through it.
        let (printed, url) = try await session.appctl(["connect", a.id, "--project", project, "--print-url"], log: "connect-web.log")
        try #require(printed == 0, "\(url)")
        let launchURL = url.trimmingCharacters(in: .whitespacesAndNewlines)
        let redirect = try await client.execute(HTTPClientRequest(url: launchURL), timeout: .seconds(10))
        #expect(redirect.status == .seeOther && redirect.headers.first(name: "Location") == "/i/\(a.id)/open/")
        let setCookie = try #require(redirect.headers.first(name: "Set-Cookie"))
        #expect(setCookie.contains("Path=/i/\(a.id)/open/") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"), "\(setCookie)")
        let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
        let gpus = try await get(client, daemon.base + "/i/\(a.id)/open/cgi-bin/gpus", headers: ["Cookie": cookie])
        #expect(gpus.0 == 200 && gpus.1.contains(a.id), "\(gpus)")
        // The app's own cookies are scoped to the instance's prefix; the platform's cookie name,
        // a __Host- cookie and any Domain never get through.
        var cookieRequest = HTTPClientRequest(url: daemon.base + "/i/\(a.id)/open/cgi-bin/cookies")
        cookieRequest.headers.add(name: "Cookie", value: cookie)
        let appCookies = try await client.execute(cookieRequest, timeout: .seconds(10))
        #expect(appCookies.status == .ok)
        #expect(appCookies.headers["Set-Cookie"].sorted() == [
            "app_pref=dark; Path=/i/\(a.id)/open/; HttpOnly", "app_wide=1; Path=/i/\(a.id)/open/settings",
        ], "\(appCookies.headers["Set-Cookie"])")
        let bare = try await get(client, daemon.base + "/i/\(a.id)/open", headers: ["Cookie": cookie])
        #expect(bare.0 == 308, "the bare prefix redirects to the prefix with a slash: \(bare)")
        #expect(try await get(client, launchURL).0 == 404, "a launch URL works once")
        #expect(try await get(client, daemon.base + "/i/\(a.id)/open/healthz").0 == 404, "no cookie")
        #expect(try await get(client, daemon.base + "/i/\(b.id)/open/healthz", headers: ["Cookie": cookie]).0 == 404,
                "a cookie copied to another instance")
        #expect(try await get(client, daemon.base + "/i/\(a.id)/live/", headers: ["Cookie": cookie]).0 == 404, "another action")

        // WebSocket echo through the proxy, text and a 200 KiB binary message.
        let live = try await open(session, a.id, #"{"action":"live"}"#)
        // From a page of the platform's own origin, as a browser would send it.
        let echoed = try await webSocketEcho(daemon.base.replacingOccurrences(of: "http://", with: "ws://") + "/i/\(a.id)/live/echo",
                                             token: try #require(live.token), origin: daemon.base)
        #expect(echoed == ["hello through the proxy", "binary:204800"], "\(echoed)")
        await #expect(throws: (any Error).self, "a token for A on B's WebSocket") {
            _ = try await webSocketEcho(daemon.base.replacingOccurrences(of: "http://", with: "ws://") + "/i/\(b.id)/live/echo", token: live.token ?? "")
        }

        // TCP: appctl listens; several concurrent connections each round-trip 256 KiB with a half-close.
        let forward = try ChildProcess(InstanceProcessTests.appctl, ["connect", a.id, "echo", "--project", project, "--local-port", "0"],
                                       environment: environment(session), outputPath: directory.appending("forward.log").path)
        let port = try await listeningPort(forward)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<6 {
                group.addTask {
                    let payload = ByteBuffer(bytes: (0..<262_144).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) })
                    return try await Self.tcpRoundTrip(port: port, payload: payload) == payload
                }
            }
            for try await same in group { #expect(same, "TCP round trip through the tunnel") }
        }
        forward.signal(SIGINT)
        #expect(await forward.wait(timeout: .seconds(10)) == 0, "\(forward.output)")
        let (_, afterForward) = try await session.json([ConnectSessionRecord].self, .GET, "/v1/projects/\(project)/connect-sessions?instance=\(a.id)")
        #expect(afterForward?.first { $0.action == "echo" }?.state == "revoked", "Ctrl-C revokes the session: \(String(describing: afterForward))")

        // SSH: a session certificate, the ProxyCommand through --stdio, a command run on the instance.
        let (configured, sshJSON) = try await session.appctl(["connect", a.id, "--ssh", "--project", project, "-o", "json"], log: "connect-ssh.log")
        try #require(configured == 0, "\(sshJSON)")
        struct SSHResult: Decodable { var host: String; var configFile: String }
        let access = try JSONDecoder().decode(SSHResult.self, from: Data(sshJSON.utf8))
        let ssh = try ChildProcess("/usr/bin/ssh", ["-F", access.configFile, "-o", "BatchMode=yes", access.host, "echo ssh-ok-$((6*7)) on $(hostname)"],
                                   environment: environment(session), outputPath: directory.appending("ssh.log").path)
        #expect(await ssh.wait(timeout: .seconds(60)) == 0 && ssh.output.contains("ssh-ok-42"), "\(ssh.output)")
        // The same certificate through a tunnel to B: B's sshd accepts only certificates for B.
        let toB = try String(contentsOfFile: access.configFile, encoding: .utf8)
            .replacingOccurrences(of: "connect \(a.id) --stdio", with: "connect \(b.id) --stdio")
            .replacingOccurrences(of: "UserKnownHostsFile", with: "UserKnownHostsFile /dev/null\n  #")
        try toB.write(to: directory.appending("ssh-to-b.config"), atomically: true, encoding: .utf8)
        let refusedSSH = try ChildProcess("/usr/bin/ssh", ["-F", directory.appending("ssh-to-b.config").path, "-o", "BatchMode=yes", access.host, "true"],
                                          environment: environment(session), outputPath: directory.appending("ssh-b.log").path)
        #expect(await refusedSSH.wait(timeout: .seconds(60)) == 255 && refusedSSH.output.contains("Permission denied"), "\(refusedSSH.output)")

        try await refusals(session, client: client, a: a, b: b)
    }

    func refusals(_ session: Session, client: HTTPClient, a: InstanceRecord, b: InstanceRecord) async throws {
        let daemon = session.daemon, project = session.project
        // Another project's principal: the instance does not exist for it.
        let tenants = try JSONDecoder().decode([Tenant].self, from: try await daemon.call(.GET, "/v1/tenants").2)
        let other = try JSONDecoder().decode(Project.self, from: try await daemon.call(
            .POST, "/v1/tenants/\(try #require(tenants.first).id)/projects", body: Data(#"{"name":"other"}"#.utf8)).2)
        let account = try JSONDecoder().decode(ServiceAccount.self, from: try await daemon.call(
            .POST, "/v1/projects/\(other.id)/serviceaccounts", body: Data(#"{"name":"outsider","role":"developer"}"#.utf8)).2)
        let issued = try JSONDecoder().decode(IssuedKey.self, from: try await daemon.call(.POST, "/v1/keys", body: Data("""
            {"serviceAccount":"\(account.id)","scopes":["apps:instance:connect","apps:instance:read"],"expiresInSeconds":3600}
            """.utf8)).2)
        for path in ["/v1/projects/\(project)/instances/\(a.id)/connect", "/v1/projects/\(other.id)/instances/\(a.id)/connect"] {
            let reply = try await post(client, daemon.base + path, body: #"{"action":"open"}"#, key: issued.key)
            #expect(reply.0 == 404, "\(path) for another project's principal: \(reply)")
        }
        #expect(try await get(client, daemon.base + "/i/\(a.id)/open/healthz", headers: ["Authorization": "Bearer \(issued.key)"]).0 == 404)

        // TTL above the action's and the policy's maximum; an unknown action.
        InstanceProcessTests.expectError(try await daemon.call(.POST, "/v1/projects/\(project)/instances/\(a.id)/connect",
                                                               body: Data(#"{"action":"open","ttlSeconds":901}"#.utf8)),
                                         400, "connect.ttl_exceeds_policy", "TTL above policy")
        let (tooLong, tooLongOutput) = try await session.appctl(["connect", a.id, "--project", project, "--ttl", "1h"], log: "ttl.log")
        #expect(tooLong == 65 && tooLongOutput.contains("connect.ttl_exceeds_policy"), "\(tooLongOutput)")
        let (unknown, unknownOutput) = try await session.appctl(["connect", a.id, "nope", "--project", project], log: "nope.log")
        #expect(unknown == 66 && unknownOutput.contains("connect.action_not_found"), "\(unknownOutput)")

        // Expired.
        let short = try await open(session, a.id, #"{"action":"open","ttlSeconds":2}"#)
        let bearer = ["Authorization": "Bearer \(try #require(short.token))"]
        #expect(try await get(client, daemon.base + "/i/\(a.id)/open/healthz", headers: bearer).0 == 200)
        try await Task.sleep(for: .milliseconds(2600))
        #expect(try await get(client, daemon.base + "/i/\(a.id)/open/healthz", headers: bearer).0 == 404, "expired")

        // Revoked: requests are refused and an open WebSocket closes.
        let revocable = try await open(session, a.id, #"{"action":"live"}"#)
        let wsURL = daemon.base.replacingOccurrences(of: "http://", with: "ws://") + "/i/\(a.id)/live/echo"
        let closedAfterRevoke = Task { try await Self.webSocketUntilClosed(wsURL, token: revocable.token ?? "") }
        try await Task.sleep(for: .milliseconds(500))
        let (revoked, revokeOutput) = try await session.appctl(["session", "revoke", revocable.id, "--project", project], log: "revoke.log")
        #expect(revoked == 0 && revokeOutput.contains("revoked"), "\(revokeOutput)")
        let closedWithin = try await closedAfterRevoke.value
        #expect(closedWithin < .seconds(3), "the WebSocket closed \(closedWithin) after opening, at the revoke")
        #expect(try await get(client, daemon.base + "/i/\(a.id)/live/", headers: ["Authorization": "Bearer \(revocable.token ?? "")"]).0 == 404)

        // Revoking by a lowercase id ends the session (ULIDs are case-insensitive everywhere).
        let lowered = try await open(session, a.id, #"{"action":"open"}"#)
        let loweredBearer = ["Authorization": "Bearer \(try #require(lowered.token))"]
        #expect(try await get(client, daemon.base + "/i/\(a.id)/open/healthz", headers: loweredBearer).0 == 200)
        let (_, revokedLower) = try await session.json(
            ConnectSessionRecord.self, .DELETE, "/v1/projects/\(project.lowercased())/connect-sessions/\(lowered.id.lowercased())")
        #expect(revokedLower?.state != "active", "revoke by lowercase id: \(String(describing: revokedLower))")
        #expect(try await get(client, daemon.base + "/i/\(a.id)/open/healthz", headers: loweredBearer).0 == 404, "revoked by lowercase id")

        // A WebSocket upgrade from another site's page is refused, even with a live session;
        // the same upgrade from the platform's own origin (what a browser on it sends) passes.
        let hijack = try await open(session, a.id, #"{"action":"live"}"#)
        func upgradeStatus(origin: String) async throws -> String {
            let curl = try ChildProcess("/usr/bin/curl", [
                "-s", "-i", "--http1.1", "--max-time", "2", "-H", "Connection: Upgrade", "-H", "Upgrade: websocket",
                "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "-H", "Origin: \(origin)",
                "-H", "Authorization: Bearer \(hijack.token ?? "")", daemon.base + "/i/\(a.id)/live/echo",
            ], outputPath: session.directory.appending("upgrade-\(abs(origin.hashValue)).log").path)
            _ = await curl.wait(timeout: .seconds(10))
            return String(curl.output.split(separator: "\r\n").first ?? "")
        }
        let foreignOrigin = try await upgradeStatus(origin: "http://evil.example")
        #expect(foreignOrigin.hasPrefix("HTTP/1.1 4"), "upgrade from another origin: \(foreignOrigin)")
        let ownOrigin = try await upgradeStatus(origin: daemon.base)
        #expect(ownOrigin.hasPrefix("HTTP/1.1 101"), "upgrade from the platform's origin: \(ownOrigin)")

        // Stopped: sessions end with the instance; new ones are refused.
        let onB = try await open(session, b.id, #"{"action":"open"}"#)
        _ = try await daemon.call(.POST, "/v1/projects/\(project)/instances/\(b.id)/stop", body: Data("{}".utf8))
        _ = try await session.waitFor(b.id, phases: ["stopped", "failed"], timeout: .seconds(60))
        #expect(try await get(client, daemon.base + "/i/\(b.id)/open/healthz", headers: ["Authorization": "Bearer \(onB.token ?? "")"]).0 == 404)
        InstanceProcessTests.expectError(try await daemon.call(.POST, "/v1/projects/\(project)/instances/\(b.id)/connect",
                                                               body: Data(#"{"action":"open"}"#.utf8)),
                                         409, "connect.instance_not_ready", "connect to a stopped instance")
        let (_, listed) = try await session.json([ConnectSessionRecord].self, .GET, "/v1/projects/\(project)/connect-sessions?instance=\(b.id)")
        #expect(listed?.first { $0.id == onB.id }?.state == "ended", "\(String(describing: listed))")
        #expect(listed?.allSatisfy { $0.token == nil && $0.launchURL == nil } == true, "listings carry no secrets")

        // Audited and measured.
        for (action, least) in [("apps.connect.start", 7), ("apps.connect.revoke", 3), ("apps.connect.deny", 8)] {
            let (_, records) = try await session.json([InstanceProcessTests.AuditRecordRow].self, .GET, "/v1/audit/records?action=\(action)&limit=1000")
            #expect((records?.count ?? 0) >= least, "\(action): \(records?.count ?? 0) records")
        }
        let metrics = try await get(client, daemon.base + "/metrics").1
        for series in ["platform_connect_sessions_active", #"platform_connect_requests_total{kind="http"}"#,
                       #"platform_connect_requests_total{kind="websocket"}"#, #"platform_connect_requests_total{kind="tunnel"}"#,
                       #"platform_connect_bytes_total{direction="from_instance"}"#] {
            #expect(metrics.contains(series), "\(series) in /metrics")
        }
    }

    // MARK: helpers

    /// The session's appctl environment, plus what ssh's ProxyCommand needs: appctl's path and a PATH.
    func environment(_ session: Session) -> [String: String] {
        session.environment.merging(["APPCTL_EXECUTABLE": InstanceProcessTests.appctl, "PATH": "/usr/local/bin:/usr/bin:/bin"]) { $1 }
    }

    func open(_ session: Session, _ instance: String, _ body: String) async throws -> ConnectSessionRecord {
        let (status, _, data) = try await session.daemon.call(.POST, "/v1/projects/\(session.project)/instances/\(instance)/connect",
                                                               body: Data(body.utf8))
        return try #require(try? JSONDecoder().decode(ConnectSessionRecord.self, from: data), "\(status) \(String(decoding: data, as: UTF8.self))")
    }

    func get(_ client: HTTPClient, _ url: String, headers: [String: String] = [:]) async throws -> (UInt, String) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(10))
        return (response.status.code, String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    func post(_ client: HTTPClient, _ url: String, body: String, key: String) async throws -> (UInt, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        return (response.status.code, String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    /// Waits for appctl's `listening on 127.0.0.1:PORT` line.
    func listeningPort(_ process: ChildProcess) async throws -> Int {
        for _ in 0..<200 {
            if let line = process.output.split(separator: "\n").first(where: { $0.hasPrefix("listening on 127.0.0.1:") }),
               let port = Int(line.split(separator: ":").last ?? "") { return port }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestImageError(message: "appctl did not start listening: \(process.output)")
    }

    static let logger = Logger(label: "connect-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Sends a text and a binary message; returns what came back.
    func webSocketEcho(_ url: String, token: String, origin: String? = nil) async throws -> [String] {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        if let origin { headers[.origin] = origin }
        let received = Captured()
        try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers), logger: Self.logger) { inbound, outbound, _ in
            try await outbound.write(.text("hello through the proxy"))
            try await outbound.write(.binary(ByteBuffer(bytes: [UInt8](repeating: 7, count: 204_800))))
            var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            for _ in 0..<2 {
                switch try await messages.next() {
                case .text(let text): received.append(text)
                case .binary(let buffer): received.append("binary:\(buffer.readableBytes)")
                case nil: return
                }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return received.lines
    }

    /// Opens a WebSocket and returns how long it stayed open (the server closes it).
    static func webSocketUntilClosed(_ url: String, token: String) async throws -> Duration {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        let started = ContinuousClock.now
        try await WebSocketClient.connect(url: url, configuration: .init(additionalHeaders: headers), logger: logger) { inbound, _, _ in
            for try await _ in inbound {}
        }
        return ContinuousClock.now - started
    }

    /// Connects to 127.0.0.1:`port`, sends `payload`, half-closes and reads until the end.
    static func tcpRoundTrip(port: Int, payload: ByteBuffer) async throws -> ByteBuffer {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel,
                                                                configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(payload)
            outbound.finish()
            var received = ByteBuffer()
            for try await var chunk in inbound { received.writeBuffer(&chunk) }
            return received
        }
    }
}

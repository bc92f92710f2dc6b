import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OCIKit
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import Testing

/// Boots an in-process server with `configure` applied and hands the fixture and its port to `body`.
func withConfiguredServer(_ configure: @escaping @Sendable (inout ServerConfiguration) -> Void,
                          _ body: @escaping @Sendable (IAMFixture, Int) async throws -> Void) async throws {
    try await withTemporaryDirectory { directory async throws in
        var configuration = testConfiguration(dataDirectory: directory.path)
        configure(&configuration)
        let server = try await PlatformServer.bootstrap(configuration, logger: quietLogger)
        do {
            try await server.application.test(.live) { client in
                let key = try String(contentsOf: server.bootstrapKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                try await body(IAMFixture(client: client, server: server, adminKey: key), try #require(client.port))
            }
        } catch {
            await server.store.shutdown()
            throw error
        }
        await server.store.shutdown()
    }
}

/// Finding 0 of issue 15: the plain-HTTP listener answers what is not HTTP at once and does
/// not let slow or silent clients hold connections.
@Suite("Connection hygiene on the plain-HTTP listener", .serialized, .tags(.integration, .timing))
struct ConnectionHygieneTests {
    static func shortTimeouts(_ configuration: inout ServerConfiguration) {
        configuration.requestHeadTimeoutSeconds = 1
        configuration.idleTimeoutSeconds = 2
    }

    @Test func tlsClientHelloToThePlainListenerGetsA400AndACloseAtOnce() async throws {
        try await withConfiguredServer({ _ in }) { _, port in
            let socket = try RawSocket(port: port, readTimeout: 5)
            let started = ContinuousClock.now
            socket.send(RawSocket.clientHello)
            let (bytes, closed) = socket.readUntilClosed()
            let elapsed = ContinuousClock.now - started
            let answer = String(decoding: bytes, as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.0 400 Bad Request\r\n"), "\(answer)")
            #expect(answer.contains("Client sent an HTTPS request to an HTTP server."))
            #expect(closed, "the server must close the connection after answering")
            #expect(elapsed < .seconds(2), "answered after \(elapsed); it used to hang until the client gave up")
        }
    }

    @Test func bytesThatCannotStartARequestLineGetA400AndAClose() async throws {
        try await withConfiguredServer({ _ in }) { _, port in
            let socket = try RawSocket(port: port, readTimeout: 5)
            socket.send([0x00, 0xff, 0x13, 0x37] + Array("garbage\r\n\r\n".utf8))
            let (bytes, closed) = socket.readUntilClosed()
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.0 400 Bad Request"))
            #expect(closed)
        }
    }

    @Test func aMalformedFirstRequestHeadIsAnsweredNotLeftHanging() async throws {
        try await withConfiguredServer({ _ in }) { _, port in
            let socket = try RawSocket(port: port, readTimeout: 5)
            let started = ContinuousClock.now
            socket.send("GET / HTTP/1.1\r\nHost: x\r\nthis line has no colon\r\n\r\n")
            let (bytes, closed) = socket.readUntilClosed()
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.0 400 Bad Request"), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(closed)
            #expect(ContinuousClock.now - started < .seconds(2))
        }
    }

    @Test func aSlowHeaderDribblerIsClosedAfterTheHeadDeadline() async throws {
        try await withConfiguredServer(Self.shortTimeouts) { _, port in
            let socket = try RawSocket(port: port, readTimeout: 8)
            let started = ContinuousClock.now
            socket.send("GET /livez HTTP/1.1\r\nHost: x\r\n")
            var stillOpen = true
            var sent = 0
            while stillOpen, ContinuousClock.now - started < .seconds(6) {
                try await Task.sleep(for: .milliseconds(200))
                stillOpen = socket.send("X-Dribble-\(sent): a\r\n")
                sent += 1
            }
            let (_, closed) = socket.readUntilClosed()
            let elapsed = ContinuousClock.now - started
            #expect(!stillOpen || closed, "a head that never completes must be cut")
            #expect(elapsed < .seconds(5), "closed after \(elapsed) with a 1 s head deadline")
        }
    }

    @Test func aClientThatSendsNothingIsClosedAfterTheHeadDeadline() async throws {
        try await withConfiguredServer(Self.shortTimeouts) { _, port in
            let socket = try RawSocket(port: port, readTimeout: 8)
            let started = ContinuousClock.now
            let (bytes, closed) = socket.readUntilClosed()
            #expect(bytes.isEmpty && closed)
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await withConfiguredServer(Self.shortTimeouts) { _, port in
            let socket = try RawSocket(port: port, readTimeout: 10)
            socket.send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
            let first = socket.read(until: "\r\n\r\n")
            #expect(first.hasPrefix("HTTP/1.1 200"), "\(first)")
            let started = ContinuousClock.now
            let (_, closed) = socket.readUntilClosed()
            #expect(closed)
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(1500) && elapsed < .seconds(8), "idle close after \(elapsed) with a 2 s idle timeout")
        }
    }

    @Test func aSecondRequestOnAKeptAliveConnectionStillWorksAndItsHeadIsTimed() async throws {
        try await withConfiguredServer(Self.shortTimeouts) { _, port in
            let socket = try RawSocket(port: port, readTimeout: 8)
            socket.send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(socket.read(until: "\r\n\r\n").hasPrefix("HTTP/1.1 200"))
            socket.send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(socket.read(until: "\r\n\r\n").hasPrefix("HTTP/1.1 200"), "keep-alive still serves a second request")
            let started = ContinuousClock.now
            socket.send("GET /livez HTTP/1.1\r\n")  // a third head that never completes
            var stillOpen = true
            while stillOpen, ContinuousClock.now - started < .seconds(6) {
                try await Task.sleep(for: .milliseconds(300))
                stillOpen = socket.send("X: y\r\n")
            }
            let (_, closed) = socket.readUntilClosed()
            #expect(!stillOpen || closed)
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func aSlowButSteadyUploadIsNotCutByEitherTimeout() async throws {
        try await withConfiguredServer(Self.shortTimeouts) { iam, port in
            let body = Array(#"{"name":"slow-tenant"}"#.utf8)
            let socket = try RawSocket(port: port, readTimeout: 10)
            socket.send("POST /v1/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(iam.adminKey)\r\n"
                        + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n")
            // 22 bytes over about 3.3 s: longer than both the 1 s head deadline and the 2 s idle timeout.
            for byte in body {
                try await Task.sleep(for: .milliseconds(150))
                #expect(socket.send([byte]))
            }
            let answer = socket.read(until: "slow-tenant")
            #expect(answer.hasPrefix("HTTP/1.1 201"), "\(answer)")
        }
    }
}

/// Finding 1 and the lesser findings of issue 9 that live at the HTTP edge: client numbers
/// are parsed into bounded values (4xx, never a trap or a 500), a 413 has its own code, the
/// auth realm comes from configuration, and `/v2/token` issues scoped short-lived tokens.
@Suite("Client numbers, error codes and registry tokens at the edge")
struct EdgeHardeningTests {
    @Test func rangeWithMinimumSuffixDoesNotKillTheServer() async throws {
        try await withRegistry(.sqlite) { registry in
            let blob = try await registry.pushBlob(Data("0123456789".utf8))
            for header in ["bytes=--9223372036854775808", "bytes=-9223372036854775808", "bytes=9223372036854775807-", "bytes=+1-2"] {
                let reply = try await registry.call(.get, "blobs/\(blob.digest)", headers: ["Range": header])
                #expect(reply.status == .rangeNotSatisfiable, "\(header): \(reply.status)")
            }
            let clamped = try await registry.call(.get, "blobs/\(blob.digest)", headers: ["Range": "bytes=0-9223372036854775807"])
            #expect(clamped.status == .partialContent && clamped.body == Data("0123456789".utf8))
            let suffix = try await registry.call(.get, "blobs/\(blob.digest)", headers: ["Range": "bytes=-3"])
            #expect(suffix.body == Data("789".utf8) && suffix.header("Content-Range") == "bytes 7-9/10")
            // Still serving: the process did not trap.
            #expect(try await registry.call(.get, "blobs/\(blob.digest)").status == .ok)
        }
    }

    @Test func v2PathSegmentsArePercentDecodedAsDistributionDoes() async throws {
        try await withRegistry(.sqlite) { registry in
            let (image, bytes) = try await registry.pushImage(tag: "v1")
            let encodedDigest = image.digest.description.replacingOccurrences(of: ":", with: "%3A")
            let byDigest = try await registry.call(.get, "manifests/\(encodedDigest)")
            #expect(byDigest.status == .ok && byDigest.body == bytes, "\(byDigest.status) \(byDigest.errors)")
            let encodedName = registry.repository.replacingOccurrences(of: "app", with: "%61pp")
            let byName = try await registry.call(.get, "/v2/\(encodedName)/manifests/v1")
            #expect(byName.status == .ok && byName.body == bytes, "\(byName.status) \(byName.errors)")
            #expect(try await registry.call(.get, "/v2/\(registry.repository)/manifests/%ZZ").status == .notFound, "a bad escape matches no endpoint")
        }
    }

    @Test func uploadContentRangeWithSignsOrOverflowIsA416() async throws {
        try await withRegistry(.sqlite) { registry in
            let started = try await registry.call(.post, "blobs/uploads/")
            let location = try #require(started.header("Location"))
            for header in ["-1-5", "9223372036854775807-9223372036854775807", "0-99999999999999999999", "5-4"] {
                let reply = try await registry.call(.patch, location, body: Data("abc".utf8), headers: ["Content-Range": header])
                #expect(reply.status == .rangeNotSatisfiable, "\(header): \(reply.status)")
            }
            #expect(try await registry.call(.patch, location, body: Data("abc".utf8), headers: ["Content-Range": "0-2"]).status == .accepted)
        }
    }

    @Test func tagPagingRefusesNegativeAndOversizedN() async throws {
        try await withRegistry(.sqlite) { registry in
            _ = try await registry.pushImage(tag: "v1")
            for n in ["-1", "99999999999999999999", "abc", "+5"] {
                let reply = try await registry.call(.get, "tags/list?n=\(n)")
                #expect(reply.status == .badRequest && reply.ociCode == "PAGINATION_NUMBER_INVALID", "n=\(n): \(reply.status)")
            }
            #expect(try await registry.call(.get, "tags/list?n=9223372036854775807").status == .ok)
        }
    }

    @Test func logOffsetPastAnyFileIsA400NotA500() async throws {
        try await withIAMServer(.sqlite) { iam in
            let (_, project, _, key) = try await iam.makeProject(tenant: "acme", project: "p1", account: "ci")
            for offset in ["9223372036854775807", "-1", "x"] {
                let reply = try await iam.call(.get, "/v1/projects/\(project.id)/instances/01J0000000000000000000000/logs?offset=\(offset)", key: key.key)
                #expect(reply.status == .badRequest && reply.errorCode == "http.parameter_invalid", "offset=\(offset): \(reply.status)")
            }
        }
    }

    @Test func auditRecordLimitOutsideOneToAThousandIsRefused() async throws {
        try await withIAMServer(.sqlite) { iam in
            for limit in ["-1", "0", "1001", "9223372036854775808", "ten"] {
                let reply = try await iam.call(.get, "/v1/audit/records?limit=\(limit)", key: iam.adminKey)
                #expect(reply.status == .badRequest && reply.errorCode == "http.parameter_invalid", "limit=\(limit): \(reply.status)")
            }
            let after = try await iam.call(.get, "/v1/audit/records?after=-5", key: iam.adminKey)
            #expect(after.status == .badRequest)
            #expect(try await iam.call(.get, "/v1/audit/records?limit=2", key: iam.adminKey).status == .ok)
        }
    }

    @Test func payloadTooLargeHasItsOwnCode() async throws {
        try await withIAMServer(.sqlite) { iam in
            let big = String(repeating: "x", count: (1 << 20) + 10)
            let reply = try await iam.call(.post, "/v1/tenants", key: iam.adminKey, body: ["name": big])
            #expect(reply.status == .contentTooLarge)
            #expect(reply.errorCode == "http.payload_too_large")
        }
    }

    @Test func authRealmComesFromTheConfiguredExternalURLNotTheClient() async throws {
        try await withConfiguredServer({ $0.externalURL = "https://registry.example.test" }) { iam, _ in
            let reply = try await iam.client.execute(
                uri: "/v2/", method: .get,
                headers: [HTTPField.Name("Host")!: "evil.example", HTTPField.Name("X-Forwarded-Proto")!: "gopher"]) { $0.headers[.wwwAuthenticate] }
            #expect(reply == #"Bearer realm="https://registry.example.test/v2/token",service="platformd""#)
        }
    }

    @Test func defaultExternalURLIsDerivedFromTheListenAddress() throws {
        var configuration = ServerConfiguration.defaults
        #expect(configuration.effectiveExternalURL == "http://127.0.0.1:8080")
        configuration.listen = ListenAddress(host: "0.0.0.0", port: 5000)
        #expect(configuration.effectiveExternalURL == "http://127.0.0.1:5000")
        let resolved = try ServerConfiguration.resolve(
            flags: .init(), environment: ["PLATFORMD_EXTERNAL_URL": "https://r.example:8443/", "PLATFORMD_REQUEST_HEAD_TIMEOUT": "5"])
        #expect(resolved.effectiveExternalURL == "https://r.example:8443" && resolved.requestHeadTimeoutSeconds == 5)
        for bad in ["ftp://x", "https://x/path", "not a url", "https://user@x"] {
            #expect(throws: PlatformError.self, "\(bad)") { try ServerConfiguration.resolve(flags: .init(externalURL: bad), environment: [:]) }
        }
        #expect(throws: PlatformError.self) { try ServerConfiguration.resolve(flags: .init(requestHeadTimeout: "0"), environment: [:]) }
        #expect(throws: PlatformError.self) { try ServerConfiguration.resolve(flags: .init(idleTimeout: "-1"), environment: [:]) }
    }

    /// `/v2/token` with Basic credentials and `scope`, decoded.
    static func token(_ registry: RegistryFixture, scope: String) async throws -> (token: String, expiresIn: Int) {
        let reply = try await registry.call(.get, "/v2/token?service=platformd&scope=\(scope)")
        #expect(reply.status == .ok, "\(String(decoding: reply.body, as: UTF8.self))")
        struct Token: Decodable { var token: String; var expires_in: Int }
        let token = try JSONDecoder().decode(Token.self, from: reply.body)
        return (token.token, token.expires_in)
    }

    static func bearer(_ registry: RegistryFixture, _ token: String, _ method: HTTPRequest.Method, _ path: String,
                       body: Data? = nil) async throws -> (HTTPResponse.Status, String?) {
        try await registry.iam.client.execute(
            uri: path, method: method, headers: [.authorization: "Bearer \(token)"], body: body.map { ByteBuffer(bytes: $0) }) {
            ($0.status, $0.headers[.wwwAuthenticate])
        }
    }

    @Test func registryTokenIsShortLivedAndNotTheKey() async throws {
        try await withRegistry(.sqlite) { registry in
            let issued = try await Self.token(registry, scope: "repository:\(registry.repository):pull")
            #expect(issued.token != registry.key && !issued.token.contains(registry.key))
            #expect(issued.expiresIn > 0 && issued.expiresIn <= 300)
            let status = try await Self.bearer(registry, issued.token, .get, "/v2/\(registry.repository)/tags/list").0
            #expect(status != .unauthorized && status != .forbidden, "\(status)")
        }
    }

    @Test func registryTokenGrantsOnlyTheRequestedRepositoryAndActions() async throws {
        try await withRegistry(.sqlite) { registry in
            _ = try await registry.pushImage(tag: "v1")
            let sibling = registry.project.id.lowercased() + "/other"
            _ = try await registry.call(.post, "/v2/\(sibling)/blobs/uploads/?digest=\(RegistryFixture.digest(Data("s".utf8)))", body: Data("s".utf8))
            let pull = try await Self.token(registry, scope: "repository:\(registry.repository):pull").token
            #expect(try await Self.bearer(registry, pull, .get, "/v2/\(registry.repository)/manifests/v1").0 == .ok)
            let push = try await Self.bearer(registry, pull, .post, "/v2/\(registry.repository)/blobs/uploads/")
            #expect(push.0 == .forbidden, "a pull token cannot push")
            #expect(push.1?.contains(#"scope="repository:\#(registry.repository):pull,push""#) == true)
            #expect(push.1?.contains("insufficient_scope") == true)
            #expect(try await Self.bearer(registry, pull, .get, "/v2/\(sibling)/tags/list").0 == .forbidden,
                    "the key could read the sibling repository; the token must not")
            #expect(try await Self.bearer(registry, pull, .delete, "/v2/\(registry.repository)/manifests/v1").0 == .forbidden)
        }
    }

    @Test func registryTokenGrantsNoActionTheKeyLacks() async throws {
        try await withIAMServer(.sqlite) { iam in
            let fixture = try await RegistryFixture.make(iam)
            let (_, _, _, viewerKey) = try await iam.makeProject(
                tenant: "acme", project: "p9", account: "viewer", role: "project-admin", scopes: ["artifacts:repository:pull"])
            let viewer = RegistryFixture(iam: iam, key: viewerKey.key, repository: fixture.repository, project: fixture.project)
            // The viewer's key belongs to another project: nothing of fixture's repository is granted,
            // and the repository reads as missing (the path is resolved for the caller before the token's scopes).
            let token = try await Self.token(viewer, scope: "repository:\(fixture.repository):pull,push,delete").token
            #expect(try await Self.bearer(viewer, token, .get, "/v2/\(fixture.repository)/tags/list").0 == .notFound)
            let own = viewer.with(key: viewerKey.key)
            let ownRepository = try await iam.ok(.get, "/v1/whoami", key: viewerKey.key, as: Caller.self).projectId!.lowercased() + "/app"
            let ownToken = try await Self.token(own, scope: "repository:\(ownRepository):pull,push").token
            #expect(try await Self.bearer(own, ownToken, .post, "/v2/\(ownRepository)/blobs/uploads/").0 == .forbidden,
                    "a key without artifacts:repository:push gets no push in its token")
        }
    }

    @Test func registryTokenIsRefusedOutsideV2AndKeysAreRefusedAsBearerOnV2() async throws {
        try await withRegistry(.sqlite) { registry in
            let token = try await Self.token(registry, scope: "repository:\(registry.repository):pull").token
            let whoami = try await registry.iam.call(.get, "/v1/whoami", key: token)
            #expect(whoami.status == .unauthorized, "a registry token is no API key")
            #expect(try await Self.bearer(registry, registry.key, .get, "/v2/\(registry.repository)/tags/list").0 == .unauthorized,
                    "/v2 takes a raw key only as Basic")
            var forged = Array(token)
            let middle = forged.count / 2
            forged[middle] = forged[middle] == "A" ? "B" : "A"
            #expect(try await Self.bearer(registry, String(forged), .get, "/v2/\(registry.repository)/tags/list").0 == .unauthorized)
            // Basic with the key still works.
            #expect(try await registry.call(.get, "tags/list").status != .unauthorized)
        }
    }
}

import AsyncHTTPClient
import Foundation
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A web connect action with `pathPrefix: keep` on the real `platformd` (local runc adapter):
/// the app behind it receives the whole `/i/{instance}/{action}/…` path, over HTTP and over a
/// WebSocket, while the same image behind an action without it receives the path with the
/// prefix removed. gpu-echo's `live` endpoint (echo-server) answers a plain GET with the
/// path it was asked for, which makes the difference visible from outside.
@Suite("Connect path prefix end to end (real platformd, runc)", .serialized, .tags(.integration))
struct ConnectPathPrefixProcessTests {
    typealias Session = InstanceProcessTests.Session

    /// manifests/apps/gpu-echo.yaml as `gpu-echo-keep`: same image, its `live` action keeps the prefix.
    static func keepManifest() throws -> String {
        let text = try String(contentsOf: InstanceProcessTests.root.appendingPathComponent("manifests/apps/gpu-echo.yaml"), encoding: .utf8)
        let renamed = text.replacingOccurrences(of: "\n  name: gpu-echo\n", with: "\n  name: gpu-echo-keep\n")
        let kept = renamed.replacingOccurrences(of: "  - name: live\n    type: web\n    endpoint: live\n",
                                                with: "  - name: live\n    type: web\n    endpoint: live\n    pathPrefix: keep\n")
        guard kept != renamed, renamed != text else { throw ConnectPathPrefixTestError(message: "gpu-echo.yaml changed shape") }
        return kept
    }

    @Test("pathPrefix keep: the app gets /i/{id}/live/… over HTTP and WebSocket; by default it gets the path without the prefix")
    func pathPrefix() async throws {
        try await withTemporaryDirectory { directory async throws in
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
        let daemon = session.daemon, project = session.project
        let connect = ConnectProcessTests()
        try await session.publishReferenceApp()
        let body = try JSONSerialization.data(withJSONObject: ["manifest": try Self.keepManifest()])
        let (registered, _, reply) = try await daemon.call(.POST, "/v1/projects/\(project)/apps", body: body)
        try #require((200..<300).contains(registered), "\(String(decoding: reply, as: UTF8.self))")
        let launches = "/v1/projects/\(project)/instances"
        let (_, first) = try await session.json(InstanceRecord.self, .POST, launches, body: #"{"app":"gpu-echo","environment":"staging","adapter":"local"}"#)
        let (_, second) = try await session.json(InstanceRecord.self, .POST, launches,
                                                 body: #"{"app":"gpu-echo-keep","environment":"staging","adapter":"local"}"#)
        let strip = try await session.waitFor(try #require(first?.id), phases: ["ready", "failed"])
        let keep = try await session.waitFor(try #require(second?.id), phases: ["ready", "failed"])
        try #require(strip.phase == .ready && keep.phase == .ready, "\(strip) \(keep)")

        let stripToken = try #require(try await connect.open(session, strip.id, #"{"action":"live"}"#).token)
        let keepToken = try #require(try await connect.open(session, keep.id, #"{"action":"live"}"#).token)
        let stripped = try await connect.get(client, daemon.base + "/i/\(strip.id)/live/notebooks/a.ipynb",
                                             headers: ["Authorization": "Bearer \(stripToken)"])
        #expect(stripped.0 == 200 && stripped.1.contains("path=/notebooks/a.ipynb"), "\(stripped)")
        let kept = try await connect.get(client, daemon.base + "/i/\(keep.id)/live/notebooks/a.ipynb",
                                         headers: ["Authorization": "Bearer \(keepToken)"])
        #expect(kept.0 == 200 && kept.1.contains("path=/i/\(keep.id)/live/notebooks/a.ipynb"), "\(kept)")
        let keptRoot = try await connect.get(client, daemon.base + "/i/\(keep.id)/live/", headers: ["Authorization": "Bearer \(keepToken)"])
        #expect(keptRoot.0 == 200 && keptRoot.1.contains("path=/i/\(keep.id)/live/"), "\(keptRoot)")

        // The WebSocket proxy follows the same action setting (echo-server upgrades on any path).
        let ws = daemon.base.replacingOccurrences(of: "http://", with: "ws://")
        let echoed = try await connect.webSocketEcho(ws + "/i/\(keep.id)/live/api/kernels/1/channels", token: keepToken, origin: daemon.base)
        #expect(echoed == ["hello through the proxy", "binary:204800"], "\(echoed)")
    }
}

/// The test's own precondition failed.
struct ConnectPathPrefixTestError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

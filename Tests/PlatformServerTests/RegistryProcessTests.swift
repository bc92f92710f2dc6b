import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `platformd` binary with real OCI clients (Debian's skopeo, PyPI's oras) and a
/// `kill -9` in the middle of a chunked upload.
@Suite("Registry with real clients and a real process", .serialized, .tags(.integration))
struct RegistryProcessTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A running platformd with the project `acme/apps`; `repository` is `<project-id>/app`.
    struct Daemon: Sendable {
        let process: ChildProcess
        let base: String
        let port: Int
        let key: String
        var repository: String = ""

        static func start(_ directory: TemporaryDirectory, databaseURL: String?, round: Int = 0, arguments extra: [String] = [],
                          environment: [String: String] = [:]) async throws -> Daemon {
            let port = freeLocalPort()
            var arguments = ["serve", "--data-dir", directory.appending("data").path] + extra
            if let databaseURL { arguments += ["--database-url", databaseURL] }
            let process = try ChildProcess(ProcessLifecycleTests.binary, arguments,
                                           environment: environment.merging(["PLATFORMD_LISTEN": "127.0.0.1:\(port)"]) { $1 },
                                           outputPath: directory.appending("platformd-\(round).log").path)
            let base = "http://127.0.0.1:\(port)"
            try await ProcessLifecycleTests().waitUntilLive(base, process: process)
            let key = try String(contentsOf: directory.appending("data/bootstrap-admin.key"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return Daemon(process: process, base: base, port: port, key: key)
        }

        func call(_ method: HTTPMethod, _ path: String, body: Data? = nil, headers: [(String, String)] = [],
                  followRedirects: Bool = true) async throws -> (UInt, HTTPHeaders, Data) {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            // /v2 takes the key as HTTP Basic password only (a bearer there must be a /v2/token token).
            request.headers.add(name: "Authorization", value: path.hasPrefix("/v2")
                                ? "Basic " + Data("u:\(key)".utf8).base64EncodedString() : "Bearer \(key)")
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
            guard !followRedirects else {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
                let bytes = try await response.body.collect(upTo: 64 << 20)
                return (response.status.code, response.headers, Data(bytes.readableBytesView))
            }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            do {
                let response = try await client.execute(request, timeout: .seconds(120))
                let bytes = try await response.body.collect(upTo: 64 << 20)
                try await client.shutdown()
                return (response.status.code, response.headers, Data(bytes.readableBytesView))
            } catch {
                try? await client.shutdown()
                throw error
            }
        }

        mutating func makeProject() async throws {
            let tenant = try JSONDecoder().decode(Tenant.self, from: try await call(.POST, "/v1/tenants", body: Data(#"{"name":"acme"}"#.utf8)).2)
            let project = try JSONDecoder().decode(Project.self, from: try await call(
                .POST, "/v1/tenants/\(tenant.id)/projects", body: Data(#"{"name":"apps"}"#.utf8)).2)
            repository = "\(project.id.lowercased())/app"
        }
    }

    static func run(_ executable: String, _ arguments: [String], in directory: TemporaryDirectory, log: String) async throws -> (Int32?, String) {
        let process = try ChildProcess(executable, arguments, outputPath: directory.appending(log).path)
        let code = await process.wait(timeout: .seconds(180))
        return (code, process.output)
    }

    @Test("skopeo copies an image layout to platformd and back with the digest unchanged; oras pushes a referrer found with filtering",
          arguments: ServerBackend.enabled)
    func realClients(backend: ServerBackend) async throws {
        let url = try await backend.databaseURL()
        try await withTemporaryDirectory { directory async throws in
            var daemon = try await Daemon.start(directory, databaseURL: url)
            defer { daemon.process.signal(SIGKILL) }
            try await daemon.makeProject()
            let image = directory.appending("image").path
            let (built, buildLog) = try await Self.run("/bin/bash", [Self.repositoryRoot.appendingPathComponent("scripts/oci/make-image.sh").path, image],
                                                       in: directory, log: "make-image.log")
            #expect(built == 0, "\(buildLog)")
            let layoutIndex = try JSONDecoder().decode(IndexFile.self, from: Data(contentsOf: URL(fileURLWithPath: image).appendingPathComponent("index.json")))
            let digest = try #require(layoutIndex.manifests.first).digest
            try? FileManager.default.removeItem(atPath: "/var/lib/containers/cache/blob-info-cache-v1.boltdb")
            let target = "docker://127.0.0.1:\(daemon.port)/\(daemon.repository):v1"
            let (pushed, pushLog) = try await Self.run("/usr/bin/skopeo", ["copy", "--dest-tls-verify=false", "--dest-creds", "ci:\(daemon.key)",
                                                                         "oci:\(image):v1", target], in: directory, log: "push.log")
            #expect(pushed == 0, "\(pushLog)")
            let (inspected, inspectLog) = try await Self.run("/usr/bin/skopeo", ["inspect", "--tls-verify=false", "--creds", "ci:\(daemon.key)", target],
                                                             in: directory, log: "inspect.log")
            #expect(inspected == 0 && inspectLog.contains(digest), "\(inspectLog)")
            let back = directory.appending("back").path
            let (pulled, pullLog) = try await Self.run("/usr/bin/skopeo", ["copy", "--src-tls-verify=false", "--src-creds", "ci:\(daemon.key)",
                                                                         target, "oci:\(back):v1"], in: directory, log: "pull.log")
            #expect(pulled == 0, "\(pullLog)")
            let backIndex = try JSONDecoder().decode(IndexFile.self, from: Data(contentsOf: URL(fileURLWithPath: back).appendingPathComponent("index.json")))
            #expect(backIndex.manifests.first?.digest == digest, "the digest survives the round trip")

            let (status, headers, _) = try await daemon.call(.HEAD, "/v2/\(daemon.repository)/manifests/v1")
            #expect(status == 200)
            let size = headers.first(name: "Content-Length") ?? "0"
            let (oras, orasLog) = try await Self.run("/usr/bin/env", [
                "python3", Self.repositoryRoot.appendingPathComponent("scripts/oci/oras_referrers.py").path,
                "--registry", "127.0.0.1:\(daemon.port)", "--repo", daemon.repository, "--subject-digest", digest, "--subject-size", size,
                "--username", "ci", "--password", daemon.key, "--check",
            ], in: directory, log: "oras.log")
            #expect(oras == 0, "\(orasLog)")
            #expect(orasLog.contains("\"filters_applied_header\": \"artifactType\""))
        }
    }

    @Test("skopeo and oras push and pull by <tenant>/<project>/<name> and by <project-id>/<name>: one repository, one digest")
    func realClientsWithNames() async throws {
        try await withTemporaryDirectory { directory async throws in
            var daemon = try await Daemon.start(directory, databaseURL: nil)
            defer { daemon.process.signal(SIGKILL) }
            try await daemon.makeProject()
            let named = "acme/apps/app"
            let image = directory.appending("image").path
            let (built, buildLog) = try await Self.run("/bin/bash", [Self.repositoryRoot.appendingPathComponent("scripts/oci/make-image.sh").path, image],
                                                       in: directory, log: "make-image.log")
            #expect(built == 0, "\(buildLog)")
            let layoutIndex = try JSONDecoder().decode(IndexFile.self, from: Data(contentsOf: URL(fileURLWithPath: image).appendingPathComponent("index.json")))
            let digest = try #require(layoutIndex.manifests.first).digest
            try? FileManager.default.removeItem(atPath: "/var/lib/containers/cache/blob-info-cache-v1.boltdb")
            let host = "127.0.0.1:\(daemon.port)"
            let (pushed, pushLog) = try await Self.run("/usr/bin/skopeo", ["copy", "--dest-tls-verify=false", "--dest-creds", "ci:\(daemon.key)",
                                                                         "oci:\(image):v1", "docker://\(host)/\(named):v1"], in: directory, log: "push-named.log")
            #expect(pushed == 0, "skopeo pushes by names: \(pushLog)")
            for (index, source) in [named, daemon.repository].enumerated() {
                let back = directory.appending("back-\(index)").path
                let (pulled, pullLog) = try await Self.run("/usr/bin/skopeo", ["copy", "--src-tls-verify=false", "--src-creds", "ci:\(daemon.key)",
                                                                             "docker://\(host)/\(source):v1", "oci:\(back):v1"],
                                                           in: directory, log: "pull-\(index).log")
                #expect(pulled == 0, "skopeo pulls \(source): \(pullLog)")
                let backIndex = try JSONDecoder().decode(IndexFile.self, from: Data(contentsOf: URL(fileURLWithPath: back).appendingPathComponent("index.json")))
                #expect(backIndex.manifests.first?.digest == digest, "\(source) serves the digest pushed by names")
            }
            let (status, headers, _) = try await daemon.call(.HEAD, "/v2/\(named)/manifests/v1")
            #expect(status == 200)
            let size = headers.first(name: "Content-Length") ?? "0"
            // oras pushes a referrer by names and pulls it back by id, then the other way round.
            for (push, pull) in [(named, daemon.repository), (daemon.repository, named)] {
                let (oras, orasLog) = try await Self.run("/usr/bin/env", [
                    "python3", Self.repositoryRoot.appendingPathComponent("scripts/oci/oras_referrers.py").path,
                    "--registry", host, "--repo", push, "--subject-digest", digest, "--subject-size", size,
                    "--username", "ci", "--password", daemon.key, "--pull-from", pull, "--tag", "sbom-\(push.count)", "--check",
                ], in: directory, log: "oras-\(push.count).log")
                #expect(oras == 0 && orasLog.contains("\"pulled_same_bytes\": true"), "oras push \(push), pull \(pull): \(orasLog)")
            }
            let (_, _, tags) = try await daemon.call(.GET, "/v2/\(daemon.repository)/tags/list")
            #expect(String(decoding: tags, as: UTF8.self).contains("sbom-\(named.count)"), "the tag pushed by names is listed by id")
        }
    }

    struct IndexFile: Decodable {
        struct Entry: Decodable { var digest: String }
        var manifests: [Entry]
    }

    @Test("kill -9 during a 200 MB chunked upload leaves no visible blob; after restart the committed blobs are served and the upload resumes")
    func killDuringUpload() async throws {
        try await withTemporaryDirectory { directory async throws in
            var daemon = try await Daemon.start(directory, databaseURL: nil)
            try await daemon.makeProject()
            let small = Data("committed before the crash".utf8)
            let smallDigest = ContentDigest(sha256Bytes: SHA256.hash(data: small))
            #expect(try await daemon.call(.POST, "/v2/\(daemon.repository)/blobs/uploads/?digest=\(smallDigest)", body: small).0 == 201)

            let chunk = 16 << 20
            var big = Data(count: 200 << 20)
            big.withUnsafeMutableBytes { bytes in
                var state: UInt64 = 0x9E37_79B9_7F4A_7C15
                for index in stride(from: 0, to: bytes.count, by: 8) {
                    state ^= state << 13; state ^= state >> 7; state ^= state << 17
                    bytes.storeBytes(of: state, toByteOffset: index, as: UInt64.self)
                }
            }
            let bigDigest = ContentDigest(sha256Bytes: SHA256.hash(data: big))
            let (started, startHeaders, _) = try await daemon.call(.POST, "/v2/\(daemon.repository)/blobs/uploads/")
            #expect(started == 202)
            let location = try #require(startHeaders.first(name: "Location"))
            for offset in stride(from: 0, to: 6 * chunk, by: chunk) {
                let reply = try await daemon.call(.PATCH, location, body: big[offset..<(offset + chunk)],
                                                  headers: [("Content-Range", "\(offset)-\(offset + chunk - 1)")])
                #expect(reply.0 == 202)
            }
            // The seventh chunk is in flight when the server dies.
            let flying = daemon
            let seventh = Data(big[(6 * chunk)..<(7 * chunk)])
            let inFlight = Task { try? await flying.call(.PATCH, location, body: seventh, headers: [("Content-Range", "\(6 * chunk)-\(7 * chunk - 1)")]) }
            try await Task.sleep(for: .milliseconds(30))
            daemon.process.signal(SIGKILL)
            _ = await daemon.process.wait(timeout: .seconds(10))
            _ = await inFlight.value

            let blobFile = directory.appending("data/blobs/sha256/\(bigDigest.hex.prefix(2))/\(bigDigest.hex)")
            #expect(!FileManager.default.fileExists(atPath: blobFile.path), "nothing of the upload is visible")

            var restarted = try await Daemon.start(directory, databaseURL: nil, round: 1)
            defer { restarted.process.signal(SIGKILL) }
            restarted.repository = daemon.repository
            #expect(try await restarted.call(.GET, "/v2/\(daemon.repository)/blobs/\(smallDigest)").2 == small)
            #expect(try await restarted.call(.HEAD, "/v2/\(daemon.repository)/blobs/\(bigDigest)").0 == 404)

            // Resume from whatever the upload holds.
            let (status, headers, _) = try await restarted.call(.GET, location)
            #expect(status == 204)
            let range = try #require(headers.first(name: "Range"))
            var offset = (Int(range.split(separator: "-").last ?? "") ?? -1) + 1
            #expect(offset >= 6 * chunk, "the six acknowledged chunks survived (\(range))")
            while offset < big.count {
                let end = min(offset + chunk, big.count)
                let reply = try await restarted.call(.PATCH, location, body: big[offset..<end], headers: [("Content-Range", "\(offset)-\(end - 1)")])
                #expect(reply.0 == 202)
                offset = end
            }
            #expect(try await restarted.call(.PUT, "\(location)?digest=\(bigDigest)").0 == 201)
            let (head, headHeaders, _) = try await restarted.call(.HEAD, "/v2/\(daemon.repository)/blobs/\(bigDigest)")
            #expect(head == 200 && headHeaders.first(name: "Content-Length") == String(big.count))
        }
    }
}

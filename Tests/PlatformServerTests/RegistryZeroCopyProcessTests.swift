import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import PlatformTestKit
import Testing

/// Blob GETs from the filesystem store go out with `sendfile(2)` on a plain-HTTP listener: the
/// whole blob, ranges (first byte, middle, last byte, open-ended), HEAD, and a WebSocket-free
/// keep-alive connection reused across them, every byte checked against the digest.
@Suite("Registry zero-copy blob GETs, real process", .serialized, .tags(.integration))
struct RegistryZeroCopyProcessTests {
    @Test("a 3 MiB blob and a 1-byte blob are served whole, by range and by HEAD through sendfile, byte for byte; /metrics counts sendfile")
    func sendfileServesExactBytes() async throws {
        try await withTemporaryDirectory { directory async throws in
            var daemon = try await RegistryProcessTests.Daemon.start(directory, databaseURL: nil)
            defer { daemon.process.signal(SIGKILL) }
            try await daemon.makeProject()
            var generator = SystemRandomNumberGenerator()
            let big = Data((0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let tiny = Data([0x2A])
            for blob in [big, tiny] {
                let digest = "sha256:" + SHA256.hash(data: blob).map { String(format: "%02x", $0) }.joined()
                let (pushed, _, pushBody) = try await daemon.call(.POST, "/v2/\(daemon.repository)/blobs/uploads/?digest=\(digest)", body: blob,
                                                                  headers: [("Content-Type", "application/octet-stream")])
                #expect(pushed == 201, "\(String(decoding: pushBody, as: UTF8.self))")
                let path = "/v2/\(daemon.repository)/blobs/\(digest)"
                let (status, headers, body) = try await daemon.call(.GET, path)
                #expect(status == 200 && body == blob, "the whole blob, byte for byte")
                #expect(headers.first(name: "Content-Length") == String(blob.count))
                #expect(headers.first(name: "Docker-Content-Digest") == digest)
                #expect(headers["x-platform-sendfile"].isEmpty, "the internal token never leaves the server")
                let size = blob.count
                for (first, last) in [(0, 0), (size / 3, size / 2), (size - 1, size - 1)] {
                    let (ranged, rangeHeaders, part) = try await daemon.call(.GET, path, headers: [("Range", "bytes=\(first)-\(last)")])
                    #expect(ranged == 206 && part == blob.subdata(in: first..<(last + 1)), "bytes=\(first)-\(last)")
                    #expect(rangeHeaders.first(name: "Content-Range") == "bytes \(first)-\(last)/\(size)")
                }
                let (openEnded, _, tail) = try await daemon.call(.GET, path, headers: [("Range", "bytes=\(size / 2)-")])
                #expect(openEnded == 206 && tail == blob.subdata(in: (size / 2)..<size))
                let (headStatus, headHeaders, headBody) = try await daemon.call(.HEAD, path)
                #expect(headStatus == 200 && headBody.isEmpty && headHeaders.first(name: "Content-Length") == String(size))
            }
            let (_, _, metrics) = try await daemon.call(.GET, "/metrics")
            let text = String(decoding: metrics, as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix("registry_blob_responses_total{delivery=\"sendfile\"}") }
            let count = line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
            #expect(count >= 10, "every GET above went through sendfile: \(line ?? "no line")")
            #expect(!text.contains("registry_blob_responses_total{delivery=\"read\"}"))
        }
    }
}

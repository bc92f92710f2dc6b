import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import OCIKit
import PlatformClient
import PlatformContracts

/// A client of the OCI Distribution API of `platformd` (`/v2/`), authenticating with the
/// API key as HTTP Basic password. Blobs are streamed from and to files in chunks; nothing
/// large is held in memory.
struct RegistryClient: Sendable {
    let target: ServerTarget
    /// Chunk size of uploads (one `PATCH` each, with `Content-Range`).
    static let chunkSize = 16 << 20

    private func request(_ method: HTTPMethod, _ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : target.server + path)
        request.method = method
        request.headers.add(name: "User-Agent", value: "appctl/\(PlatformVersion.version)")
        if let token = target.token {
            request.headers.add(name: "Authorization", value: "Basic " + Data("appctl:\(token)".utf8).base64EncodedString())
        }
        return request
    }

    private func execute(_ request: HTTPClientRequest, expect: Set<UInt>) async throws -> HTTPClientResponse {
        let response: HTTPClientResponse
        do {
            response = try await PlatformClient.httpClient.execute(request, timeout: .minutes(30))
        } catch {
            throw AppCtlError(.clientServerUnreachable, "cannot reach \(target.server): \(error)")
        }
        guard expect.contains(response.status.code) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
            throw Self.error(status: response.status.code, body: body, url: request.url)
        }
        return response
    }

    static func error(status: UInt, body: Data, url: String) -> AppCtlError {
        struct Errors: Decodable {
            struct Entry: Decodable { var code: String; var message: String; var detail: [String: String]? }
            var errors: [Entry]
        }
        if let entry = (try? JSONDecoder().decode(Errors.self, from: body))?.errors.first {
            let code = entry.detail?["code"].flatMap(ErrorCode.init(rawValue:)) ?? (status == 401 ? .clientUnauthorized : .clientUnexpectedResponse)
            return AppCtlError(code, "\(entry.message) [\(entry.code)]")
        }
        if status == 401 || status == 403 { return AppCtlError(.clientUnauthorized, "\(url) refused the credentials (\(status))") }
        return AppCtlError(.clientUnexpectedResponse, "\(url) answered \(status)")
    }

    /// Whether the repository already has a blob.
    func hasBlob(_ repository: String, _ digest: ContentDigest) async throws -> Bool {
        let response = try await execute(request(.HEAD, "/v2/\(repository)/blobs/\(digest)"), expect: [200, 404])
        return response.status.code == 200
    }

    /// Uploads a file as a blob, in chunks, reporting progress.
    func uploadBlob(_ repository: String, file: URL, digest: ContentDigest, size: Int64, progress: TransferProgress) async throws {
        let start = try await execute(request(.POST, "/v2/\(repository)/blobs/uploads/"), expect: [202])
        guard var location = start.headers.first(name: "Location") else {
            throw AppCtlError(.clientUnexpectedResponse, "the registry started an upload without a Location")
        }
        guard let handle = FileHandle(forReadingAtPath: file.path) else {
            throw AppCtlError(.archiveInvalid, "cannot read \(file.path)")
        }
        defer { try? handle.close() }
        var offset: Int64 = 0
        while offset < size {
            let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
            guard !chunk.isEmpty else { throw AppCtlError(.archiveInvalid, "\(file.path) is shorter than its descriptor says") }
            var patch = request(.PATCH, location)
            patch.headers.add(name: "Content-Type", value: "application/octet-stream")
            patch.headers.add(name: "Content-Range", value: "\(offset)-\(offset + Int64(chunk.count) - 1)")
            patch.headers.add(name: "Content-Length", value: String(chunk.count))
            patch.body = .bytes(ByteBuffer(bytes: chunk))
            let answer = try await execute(patch, expect: [202])
            location = answer.headers.first(name: "Location") ?? location
            offset += Int64(chunk.count)
            progress.advance(Int64(chunk.count))
        }
        let separator = location.contains("?") ? "&" : "?"
        _ = try await execute(request(.PUT, "\(location)\(separator)digest=\(digest)"), expect: [201])
    }

    /// Uploads small bytes in one request.
    func putBlob(_ repository: String, _ bytes: Data) async throws -> Descriptor {
        let digest = ContentDigest(sha256Bytes: SHA256.hash(data: bytes))
        if try await !hasBlob(repository, digest) {
            var post = request(.POST, "/v2/\(repository)/blobs/uploads/?digest=\(digest)")
            post.headers.add(name: "Content-Type", value: "application/octet-stream")
            post.headers.add(name: "Content-Length", value: String(bytes.count))
            post.body = .bytes(ByteBuffer(bytes: bytes))
            _ = try await execute(post, expect: [201])
        }
        return Descriptor(mediaType: "application/octet-stream", digest: digest, size: Int64(bytes.count))
    }

    /// Puts a manifest by tag or digest; returns its digest.
    @discardableResult
    func putManifest(_ repository: String, reference: String, bytes: Data, mediaType: String) async throws -> ContentDigest {
        var put = request(.PUT, "/v2/\(repository)/manifests/\(reference)")
        put.headers.add(name: "Content-Type", value: mediaType)
        put.body = .bytes(ByteBuffer(bytes: bytes))
        let answer = try await execute(put, expect: [201])
        let digest = answer.headers.first(name: "Docker-Content-Digest") ?? ""
        return (try? ContentDigest(parsing: digest)) ?? ContentDigest(sha256Bytes: SHA256.hash(data: bytes))
    }

    /// A manifest by tag or digest, checked against its digest.
    func manifest(_ repository: String, reference: String) async throws -> (bytes: Data, mediaType: String, digest: ContentDigest) {
        var get = request(.GET, "/v2/\(repository)/manifests/\(reference)")
        get.headers.add(name: "Accept", value: [MediaType.imageManifest, MediaType.imageIndex, MediaType.dockerManifest,
                                                 MediaType.dockerManifestList].joined(separator: ", "))
        let answer = try await execute(get, expect: [200])
        let bytes = Data(try await answer.body.collect(upTo: 32 << 20).readableBytesView)
        let digest = ContentDigest(sha256Bytes: SHA256.hash(data: bytes))
        if let named = try? ContentDigest(parsing: reference), named != digest {
            throw AppCtlError(.artifactDigestInvalid, "the registry served content hashing to \(digest) for \(named)")
        }
        return (bytes, answer.headers.first(name: "Content-Type") ?? MediaType.imageManifest, digest)
    }

    /// Downloads a blob into a file, verifying its digest before it is renamed into place.
    func downloadBlob(_ repository: String, _ digest: ContentDigest, to file: URL, progress: TransferProgress) async throws {
        let answer = try await execute(request(.GET, "/v2/\(repository)/blobs/\(digest)"), expect: [200])
        let staging = file.appendingPathExtension("partial")
        _ = FileManager.default.createFile(atPath: staging.path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: staging.path) else {
            throw AppCtlError(.clientConfigInvalid, "cannot write \(staging.path)")
        }
        var hasher = SHA256()
        do {
            for try await buffer in answer.body {
                let data = Data(buffer.readableBytesView)
                try handle.write(contentsOf: data)
                hasher.update(data: data)
                progress.advance(Int64(data.count))
            }
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: staging)
            throw AppCtlError(.clientServerUnreachable, "download of \(digest) failed: \(error)")
        }
        let actual = ContentDigest(sha256Bytes: hasher.finalize())
        guard actual == digest else {
            try? FileManager.default.removeItem(at: staging)
            throw AppCtlError(.artifactDigestInvalid, "blob \(digest) arrived hashing to \(actual); nothing was written")
        }
        try? FileManager.default.removeItem(at: file)
        try FileManager.default.moveItem(at: staging, to: file)
    }
}

import ArtifactRegistry
import Foundation
import HTTPTypes
import Hummingbird
import Metrics
import NIOCore
import OCIKit
import PlatformContracts

extension HTTPField.Name {
    static let dockerContentDigest = HTTPField.Name("Docker-Content-Digest")!
    static let dockerUploadUUID = HTTPField.Name("Docker-Upload-UUID")!
    static let ociSubject = HTTPField.Name("OCI-Subject")!
    static let ociFiltersApplied = HTTPField.Name("OCI-Filters-Applied")!
}

extension OCIRoutes {
    func dispatch(_ path: OCIPath, _ request: Request, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Response {
        let method = request.method
        let id = context.requestID
        switch (path, method) {
        case (.base, .get), (.base, .head):
            return JSONResponse.make([String: String]())
        case (.blob(let name, let digest), .get), (.blob(let name, let digest), .head):
            let access = try await registry.access(name, caller: caller, .pull, requestID: id)
            return try await blob(access, try Self.digest(digest), request, context)
        case (.blob(let name, let digest), .delete):
            let access = try await registry.access(name, caller: caller, .delete, requestID: id)
            try await registry.deleteBlob(access, try Self.digest(digest))
            return Response(status: .accepted)
        case (.uploads(let name), .post):
            let access = try await registry.access(name, caller: caller, .push, requestID: id)
            return try await startUpload(access, request)
        case (.upload(let name, let upload), .get):
            let access = try await registry.access(name, caller: caller, .push, requestID: id)
            return uploadResponse(.noContent, access, upload, size: try await registry.uploadSize(access, upload))
        case (.upload(let name, let upload), .patch):
            let access = try await registry.access(name, caller: caller, .push, requestID: id)
            let offset = try Self.contentRangeStart(request.headers[.contentRange])
            let size = try await registry.appendUpload(access, upload, offset: offset, body: request.body)
            metrics.countBytes("push", Int64(request.headers[.contentLength].flatMap { Int64($0) } ?? 0))
            return uploadResponse(.accepted, access, upload, size: size)
        case (.upload(let name, let upload), .put):
            let access = try await registry.access(name, caller: caller, .push, requestID: id)
            guard let digestText = request.uri.queryParameters["digest"] else {
                throw PlatformError(.artifactDigestInvalid, "PUT of an upload needs ?digest=")
            }
            let info = try await registry.finishUpload(access, upload, digest: try Self.digest(String(digestText)), body: request.body)
            return blobCreated(access, info.digest)
        case (.upload(let name, let upload), .delete):
            let access = try await registry.access(name, caller: caller, .push, requestID: id)
            try await registry.cancelUpload(access, upload)
            return Response(status: .noContent)
        case (.manifest(let name, let reference), .get), (.manifest(let name, let reference), .head):
            let access = try await registry.access(name, caller: caller, .pull, requestID: id)
            let manifest = try await registry.manifest(access, reference: reference)
            var headers = HTTPFields()
            headers[.contentType] = manifest.mediaType
            headers[.dockerContentDigest] = manifest.digest.description
            headers[.contentLength] = String(manifest.bytes.count)
            return Response(status: .ok, headers: headers,
                            body: method == .head ? .init() : .init(byteBuffer: ByteBuffer(bytes: manifest.bytes)))
        case (.manifest(let name, let reference), .put):
            let access = try await registry.access(name, caller: caller, .push, requestID: id)
            var request = request
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: OCIRegistry.maxManifestBytes)
            } catch {
                throw PlatformError(.artifactManifestTooLarge, "the manifest is larger than \(OCIRegistry.maxManifestBytes) bytes")
            }
            let receipt = try await registry.putManifest(
                access, reference: reference, bytes: Data(buffer.readableBytesView), contentType: request.headers[.contentType])
            var headers = HTTPFields()
            headers[.location] = "/v2/\(name)/manifests/\(receipt.digest)"
            headers[.dockerContentDigest] = receipt.digest.description
            if let subject = receipt.subject { headers[.ociSubject] = subject.description }
            return Response(status: .created, headers: headers)
        case (.manifest(let name, let reference), .delete):
            let access = try await registry.access(name, caller: caller, .delete, requestID: id)
            try await registry.deleteManifest(access, reference: reference)
            return Response(status: .accepted)
        case (.tags(let name), .get):
            let access = try await registry.access(name, caller: caller, .pull, requestID: id)
            let query = request.uri.queryParameters
            let limit = try query["n"].map { text -> Int in
                guard let value = Int(String(text)), value >= 0 else { throw PlatformError(.httpBadRequest, "n must be a non-negative integer") }
                return min(value, 10_000)
            }
            let last = query["last"].map(String.init)
            let page = try await registry.tags(access, limit: limit, after: last)
            struct Tags: Encodable { var name: String; var tags: [String] }
            var response = JSONResponse.make(Tags(name: name, tags: page.tags))
            if let next = page.next, let limit {
                let escaped = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? next
                response.headers[HTTPField.Name("Link")!] = "</v2/\(name)/tags/list?n=\(limit)&last=\(escaped)>; rel=\"next\""
            }
            return response
        case (.referrers(let name, let digest), .get):
            let access = try await registry.access(name, caller: caller, .pull, requestID: id)
            let artifactType = request.uri.queryParameters["artifactType"].map { String($0).removingPercentEncoding ?? String($0) }
            let descriptors = try await registry.referrers(access, of: try Self.digest(digest), artifactType: artifactType)
            var response = JSONResponse.make(ManifestDocument(index: descriptors), contentType: MediaType.imageIndex)
            if artifactType != nil { response.headers[.ociFiltersApplied] = "artifactType" }
            return response
        default:
            throw PlatformError(.artifactUnsupported, "\(method) is not supported on \(request.uri.path)")
        }
    }

    func blob(_ access: RepositoryAccess, _ digest: ContentDigest, _ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let location = try await registry.blob(access, digest)
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.dockerContentDigest] = digest.description
        headers[.acceptRanges] = "bytes"
        let size = location.info.size
        var range: ClosedRange<Int64>?
        if let header = request.headers[.range] {
            range = try Self.byteRange(header, size: size)
        }
        let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? size
        headers[.contentLength] = String(length)
        if let range { headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)" }
        let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
        guard request.method != .head, length > 0 else { return Response(status: status, headers: headers) }
        metrics.countBytes("pull", length)
        let body = try await fileIO.loadFile(
            path: location.path, range: Int(range?.lowerBound ?? 0)...Int(range?.upperBound ?? size - 1), context: context,
            chunkLength: 256 << 10)
        return Response(status: status, headers: headers, body: body)
    }

    func startUpload(_ access: RepositoryAccess, _ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        if let mount = query["mount"], let from = query["from"] {
            if let info = try await registry.mount(access, digest: try Self.digest(String(mount)), from: String(from)) {
                return blobCreated(access, info.digest)
            }
        }
        let upload = try await registry.startUpload(access)
        if let digestText = query["digest"] {
            let info = try await registry.finishUpload(access, upload, digest: try Self.digest(String(digestText)), body: request.body)
            metrics.countBytes("push", info.size)
            return blobCreated(access, info.digest)
        }
        return uploadResponse(.accepted, access, upload, size: 0)
    }

    func uploadResponse(_ status: HTTPResponse.Status, _ access: RepositoryAccess, _ upload: String, size: Int64) -> Response {
        var headers = HTTPFields()
        headers[.location] = "/v2/\(access.repository)/blobs/uploads/\(upload)"
        headers[.range] = "0-\(max(size - 1, 0))"
        headers[.dockerUploadUUID] = upload
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers)
    }

    func blobCreated(_ access: RepositoryAccess, _ digest: ContentDigest) -> Response {
        var headers = HTTPFields()
        headers[.location] = "/v2/\(access.repository)/blobs/\(digest)"
        headers[.dockerContentDigest] = digest.description
        headers[.contentLength] = "0"
        return Response(status: .created, headers: headers)
    }

    static func digest(_ text: String) throws -> ContentDigest {
        do { return try ContentDigest(parsing: text) } catch { throw PlatformError(.artifactDigestInvalid, error.message) }
    }

    /// `Content-Range: <start>-<end>` (also `bytes <start>-<end>/<total>`): the start offset.
    static func contentRangeStart(_ header: String?) throws -> Int64? {
        guard var text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if text.hasPrefix("bytes ") { text = String(text.dropFirst(6)) }
        guard let dash = text.firstIndex(of: "-"), let start = Int64(text[..<dash]) else {
            throw PlatformError(.artifactRangeInvalid, "malformed Content-Range \"\(text.prefix(60))\"")
        }
        return start
    }

    /// `Range: bytes=<a>-<b>` against a blob's size.
    static func byteRange(_ header: String, size: Int64) throws -> ClosedRange<Int64> {
        guard header.hasPrefix("bytes="), !header.contains(","), let dash = header.firstIndex(of: "-") else {
            throw PlatformError(.blobRangeInvalid, "unsupported Range \(header.prefix(60)); one bytes=a-b range is supported")
        }
        let first = header[header.index(header.startIndex, offsetBy: 6)..<dash]
        let last = header[header.index(after: dash)...]
        let lower: Int64, upper: Int64
        if first.isEmpty, let suffix = Int64(last) {
            lower = max(size - suffix, 0); upper = size - 1
        } else if let start = Int64(first) {
            lower = start; upper = last.isEmpty ? size - 1 : min(Int64(last) ?? -1, size - 1)
        } else {
            throw PlatformError(.blobRangeInvalid, "malformed Range \(header.prefix(60))")
        }
        guard lower >= 0, lower <= upper, upper < size else {
            throw PlatformError(.blobRangeInvalid, "range \(header) is outside a blob of \(size) bytes")
        }
        return lower...upper
    }
}

extension PlatformMetrics {
    /// Counts registry payload bytes: `registry_blob_bytes_total{direction}`.
    func countBytes(_ direction: String, _ bytes: Int64) {
        Counter(label: "registry_blob_bytes_total", dimensions: [("direction", direction)], factory: factory).increment(by: bytes)
    }
}

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
    func dispatch(_ path: OCIPath, _ request: Request, _ context: PlatformRequestContext, _ credential: RegistryCredential) async throws -> Response {
        let method = request.method
        let id = context.requestID
        func access(_ name: String, _ action: RegistryAction) async throws -> RepositoryAccess {
            try await self.access(name, credential, action, requestID: id)
        }
        switch (path, method) {
        case (.base, .get), (.base, .head):
            return JSONResponse.make([String: String]())
        case (.blob(let name, let digest), .get), (.blob(let name, let digest), .head):
            let access = try await access(name, .pull)
            return try await blob(access, try Self.digest(digest), request, context)
        case (.blob(let name, let digest), .delete):
            let access = try await access(name, .delete)
            try await registry.deleteBlob(access, try Self.digest(digest))
            return Response(status: .accepted)
        case (.uploads(let name), .post):
            let access = try await access(name, .push)
            return try await startUpload(access, request, credential)
        case (.upload(let name, let upload), .get):
            let access = try await access(name, .push)
            return uploadResponse(.noContent, access, upload, size: try await registry.uploadSize(access, upload))
        case (.upload(let name, let upload), .patch):
            let access = try await access(name, .push)
            let offset = try request.headers[.contentRange].map { text throws(PlatformError) in try UploadRange.parse(text).first }
            let size = try await registry.appendUpload(access, upload, offset: offset, body: request.body)
            metrics.countBytes("push", request.headers[.contentLength].flatMap { DecimalField.int64($0) } ?? 0)
            return uploadResponse(.accepted, access, upload, size: size)
        case (.upload(let name, let upload), .put):
            let access = try await access(name, .push)
            guard let digestText = request.uri.queryParameters["digest"] else {
                throw PlatformError(.artifactDigestInvalid, "PUT of an upload needs ?digest=")
            }
            let info = try await registry.finishUpload(access, upload, digest: try Self.digest(String(digestText)), body: request.body)
            return blobCreated(access, info.digest)
        case (.upload(let name, let upload), .delete):
            let access = try await access(name, .push)
            try await registry.cancelUpload(access, upload)
            return Response(status: .noContent)
        case (.manifest(let name, let reference), .get), (.manifest(let name, let reference), .head):
            let access = try await access(name, .pull)
            let started = ContinuousClock.now
            defer { metrics.recordRegistryLookup("manifest", ContinuousClock.now - started) }
            let manifest = try await registry.manifest(access, reference: reference)
            var headers = HTTPFields()
            headers[.contentType] = manifest.mediaType
            headers[.dockerContentDigest] = manifest.digest.description
            headers[.contentLength] = String(manifest.bytes.count)
            return Response(status: .ok, headers: headers,
                            body: method == .head ? .init() : .init(byteBuffer: ByteBuffer(bytes: manifest.bytes)))
        case (.manifest(let name, let reference), .put):
            let access = try await access(name, .push)
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
            let access = try await access(name, .delete)
            try await registry.deleteManifest(access, reference: reference)
            return Response(status: .accepted)
        case (.tags(let name), .get):
            let access = try await access(name, .pull)
            let query = request.uri.queryParameters
            // Any non-negative n is valid; the page is capped at 10 000 tags.
            let limit = try QueryNumber.optional(request, "n", in: 0...Int64.max).map { Int(min($0, 10_000)) }
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
            let access = try await access(name, .pull)
            let artifactType = request.uri.queryParameters["artifactType"].map { String($0).removingPercentEncoding ?? String($0) }
            let descriptors = try await registry.referrers(access, of: try Self.digest(digest), artifactType: artifactType)
            var response = JSONResponse.make(ManifestDocument(index: descriptors), contentType: MediaType.imageIndex)
            if artifactType != nil { response.headers[.ociFiltersApplied] = "artifactType" }
            return response
        default:
            throw PlatformError(.artifactUnsupported, "\(method) is not supported on \(request.uri.path)")
        }
    }

    /// Checks the credential, then the registry, for `action` on repository `name`.
    /// - Throws: ``ErrorCode/iamForbidden`` (403 DENIED with an `insufficient_scope` challenge
    ///   naming the scope to ask for) when a token does not grant it. 403 rather than 401:
    ///   oras-py retries a 401 with the token it holds, and asks for a new one on a 403.
    func access(_ name: String, _ credential: RegistryCredential, _ action: RegistryAction,
                requestID: String) async throws -> RepositoryAccess {
        // A malformed name is NAME_INVALID and never reaches a challenge header; a name out of
        // the caller's reach is NAME_UNKNOWN, as a missing one. Both forms of a name resolve
        // to one repository, and tokens are checked against that identity.
        let resolved = try await registry.resolve(name, caller: credential.caller)
        guard credential.covers(resolved.repository.name, action) else {
            let needed = action == .delete ? "delete" : action == .push ? "pull,push" : "pull"
            throw PlatformError(.iamForbidden, "the bearer token does not grant \(action.rawValue) on \(name); ask /v2/token for that scope",
                                details: ["scope": "repository:\(name):\(needed)"])
        }
        return try await registry.access(resolved, caller: credential.caller, action, requestID: requestID)
    }

    func blob(_ access: RepositoryAccess, _ digest: ContentDigest, _ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let location: BlobLocation
        do {
            defer { metrics.recordRegistryLookup("blob", ContinuousClock.now - started) }
            location = try await registry.blob(access, digest)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.dockerContentDigest] = digest.description
        headers[.acceptRanges] = "bytes"
        let size = location.info.size
        let range = try request.headers[.range].map { header throws(PlatformError) in try ByteRange.parse(header, size: size) }
        let length = range?.length ?? size
        headers[.contentLength] = String(length)
        if let range { headers[.contentRange] = range.contentRange(size: size) }
        let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
        guard request.method != .head, length > 0 else { return Response(status: status, headers: headers) }
        metrics.countBytes("pull", length)
        switch location.delivery {
        case .file(let path):
            if let zeroCopy, let token = zeroCopy.park(path: path, offset: range?.first ?? 0, length: length) {
                headers[HTTPField.Name(ZeroCopyFiles.header)!] = token
                metrics.countBlobResponse("sendfile")
                return Response(status: status, headers: headers, body: ResponseBody())
            }
            metrics.countBlobResponse("read")
            let body = try await fileIO.loadFile(
                path: path, range: Int(range?.first ?? 0)...Int(range?.last ?? size - 1), context: context,
                chunkLength: 256 << 10)
            return Response(status: status, headers: headers, body: body)
        case .redirect(let url):
            metrics.countBlobResponse("redirect")
            // The client follows with its own Range header; the object store answers it.
            var redirect = HTTPFields()
            redirect[.location] = url.absoluteString
            redirect[.dockerContentDigest] = digest.description
            redirect[.contentLength] = "0"
            return Response(status: .temporaryRedirect, headers: redirect)
        case .stream:
            metrics.countBlobResponse("stream")
            let chunks = try await registry.stream(location, range: range.map { $0.first...$0.last })
            let body = ResponseBody(asyncSequence: chunks.map { @Sendable chunk in ByteBuffer(bytes: chunk) })
            return Response(status: status, headers: headers, body: body)
        }
    }

    func startUpload(_ access: RepositoryAccess, _ request: Request, _ credential: RegistryCredential) async throws -> Response {
        let query = request.uri.queryParameters
        // A mount reads the source repository: a token must grant pull there too, else upload.
        if let mount = query["mount"], let from = query["from"],
           let source = try? await registry.resolve(String(from), caller: credential.caller),
           credential.covers(source.repository.name, .pull) {
            if let info = try await registry.mount(access, digest: try Self.digest(String(mount)), from: source) {
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
        headers[.location] = "/v2/\(access.requested)/blobs/uploads/\(upload)"
        headers[.range] = "0-\(max(size - 1, 0))"
        headers[.dockerUploadUUID] = upload
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers)
    }

    func blobCreated(_ access: RepositoryAccess, _ digest: ContentDigest) -> Response {
        var headers = HTTPFields()
        headers[.location] = "/v2/\(access.requested)/blobs/\(digest)"
        headers[.dockerContentDigest] = digest.description
        headers[.contentLength] = "0"
        return Response(status: .created, headers: headers)
    }

    static func digest(_ text: String) throws -> ContentDigest {
        do { return try ContentDigest(parsing: text) } catch { throw PlatformError(.artifactDigestInvalid, error.message) }
    }
}

extension PlatformMetrics {
    /// Counts registry payload bytes: `registry_blob_bytes_total{direction}`.
    func countBytes(_ direction: String, _ bytes: Int64) {
        guard bytes > 0 else { return }  // a Prometheus counter traps on a negative increment
        Counter(label: "registry_blob_bytes_total", dimensions: [("direction", direction)], factory: factory).increment(by: bytes)
    }

    /// Counts blob GETs by how their bytes went: `registry_blob_responses_total{delivery}`,
    /// `sendfile` (zero-copy), `read` (file read through the body), `redirect`, `stream`.
    func countBlobResponse(_ delivery: String) {
        Counter(label: "registry_blob_responses_total", dimensions: [("delivery", delivery)], factory: factory).increment()
    }
}

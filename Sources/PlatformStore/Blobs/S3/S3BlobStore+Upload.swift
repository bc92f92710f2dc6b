import Foundation
import NIOHTTP1
import PlatformContracts

extension S3BlobStore {
    /// Puts a verified local file under its digest's key and removes the file: one PUT up to
    /// ``S3Bucket/partSize``, a multipart upload above it. An object already there wins (the
    /// key is the content's digest, so it holds the same bytes) and nothing is sent.
    func upload(_ file: URL, as digest: ContentDigest) async throws -> BlobInfo {
        defer { try? FileManager.default.removeItem(at: file) }
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            throw PlatformError(.blobStorageFailed, "cannot read the staged file \(file.path)")
        }
        defer { try? handle.close() }
        let size = Int64(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        if let existing = try await head(digest) {
            guard existing.size == size else {
                throw PlatformError(.blobStorageFailed, "S3 holds \(existing.size) bytes under \(digest), the upload has \(size)")
            }
            return BlobInfo(digest: digest, size: size)
        }
        let key = bucket.key(for: digest)
        if size <= Int64(bucket.partSize) {
            let bytes = try handle.readToEnd() ?? Data()
            _ = try await client.send(.PUT, key: key, headers: [("content-type", "application/octet-stream")], body: bytes)
        } else {
            try await multipart(handle, key: key)
        }
        return BlobInfo(digest: digest, size: size)
    }

    /// CreateMultipartUpload, UploadPart per ``S3Bucket/partSize`` bytes (each part signed
    /// with its own SHA-256), CompleteMultipartUpload; on any failure the upload is aborted so
    /// no parts are left billed in the bucket.
    private func multipart(_ handle: FileHandle, key: String) async throws {
        let created = try await client.send(.POST, key: key, query: [("uploads", "")],
                                            headers: [("content-type", "application/octet-stream")])
        guard let uploadID = S3XML.values("UploadId", in: created.text).first else {
            throw PlatformError(.blobStorageFailed, "S3 started a multipart upload of \(key) without an UploadId")
        }
        do {
            var parts: [(number: Int, etag: String)] = []
            while let chunk = try handle.read(upToCount: bucket.partSize), !chunk.isEmpty {
                let number = parts.count + 1
                let reply = try await client.send(
                    .PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: chunk)
                guard let etag = reply.headers.first(name: "etag") else {
                    throw PlatformError(.blobStorageFailed, "S3 took part \(number) of \(key) without an ETag")
                }
                parts.append((number, etag))
            }
            let document = "<CompleteMultipartUpload>" + parts.map {
                "<Part><PartNumber>\($0.number)</PartNumber><ETag>\(S3XML.escape($0.etag))</ETag></Part>"
            }.joined() + "</CompleteMultipartUpload>"
            let done = try await client.send(.POST, key: key, query: [("uploadId", uploadID)], body: Data(document.utf8))
            // S3 may answer 200 and still report an error in the body of a completion.
            if S3XML.values("Code", in: done.text).first != nil {
                throw client.failure(done, .POST, key)
            }
        } catch {
            _ = try? await client.send(.DELETE, key: key, query: [("uploadId", uploadID)], expected: [200, 204, 404])
            throw error
        }
    }
}

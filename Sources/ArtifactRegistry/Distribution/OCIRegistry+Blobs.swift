import Foundation
import NIOCore
import PlatformContracts
import PlatformStore
import SQLKit

/// Where a blob's bytes can be read.
public struct BlobLocation: Sendable {
    /// The blob.
    public let info: BlobInfo
    /// How the HTTP edge hands the bytes out: a local file, a redirect, or a stream.
    public let delivery: BlobDelivery
}

extension OCIRegistry {
    /// A blob linked into the repository.
    /// - Throws: ``ErrorCode/artifactBlobUnknown``.
    public func blob(_ access: RepositoryAccess, _ digest: ContentDigest) async throws -> BlobLocation {
        let size = try await store.read { db in try await linkedSize(access.repository, digest, db) }
        guard let size, let info = try await blobs.info(digest), info.size == size else {
            throw PlatformError(.artifactBlobUnknown, "blob \(digest) is not in \(access.repository)", details: ["digest": digest.description])
        }
        return BlobLocation(info: info, delivery: try await blobs.delivery(digest))
    }

    /// The bytes of a blob found by ``blob(_:_:)`` whose delivery is ``BlobDelivery/stream``.
    public func stream(_ location: BlobLocation, range: ClosedRange<Int64>?) async throws -> AsyncThrowingStream<Data, any Error> {
        try await blobs.read(location.info.digest, range: range)
    }

    /// Starts an upload session.
    public func startUpload(_ access: RepositoryAccess) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try uploads.create(id)
        do {
            try await store.transaction { db in
                try await db.insert(into: "artifacts_uploads").columns("id", "repository", "created_at")
                    .values(SQLBind(id), SQLBind(access.repository.name), SQLBind(Timestamp.now().rfc3339)).run()
            }
        } catch {
            uploads.cancel(id)
            throw error
        }
        return id
    }

    /// The bytes an upload holds so far.
    /// - Throws: ``ErrorCode/artifactUploadUnknown``.
    public func uploadSize(_ access: RepositoryAccess, _ id: String) async throws -> Int64 {
        try await requireUpload(access, id)
        guard let size = uploads.size(id) else { throw PlatformError(.artifactUploadUnknown, "no upload \(id)") }
        return size
    }

    /// Appends a chunk; `offset` (from `Content-Range`) must equal the current size.
    public func appendUpload<Body: AsyncSequence>(_ access: RepositoryAccess, _ id: String, offset: Int64?, body: Body) async throws -> Int64
    where Body.Element == ByteBuffer {
        try await requireUpload(access, id)
        return try await uploads.append(id, at: offset, body: body)
    }

    /// Appends the final chunk (if any), verifies the digest and links the blob.
    /// - Throws: ``ErrorCode/artifactDigestInvalid`` (the upload is discarded).
    public func finishUpload<Body: AsyncSequence>(_ access: RepositoryAccess, _ id: String, digest: ContentDigest, body: Body?) async throws -> BlobInfo
    where Body.Element == ByteBuffer {
        try await requireUpload(access, id)
        if let body { _ = try await uploads.append(id, at: nil, body: body) }
        let info: BlobInfo
        do {
            info = try await uploads.commit(id, expecting: digest)
        } catch {
            try? await forgetUpload(id)
            throw error
        }
        do {
            try await link(access, info)
        } catch {
            // Refused (the storage quota): the upload ends; its bytes wait unreferenced for collection.
            try? await forgetUpload(id)
            throw error
        }
        try await forgetUpload(id)
        return info
    }

    /// Cancels an upload.
    public func cancelUpload(_ access: RepositoryAccess, _ id: String) async throws {
        try await requireUpload(access, id)
        uploads.cancel(id)
        try await forgetUpload(id)
    }

    /// Links a blob from another repository the caller may pull; `false` means "upload it instead".
    public func mount(_ access: RepositoryAccess, digest: ContentDigest, from source: ResolvedRepository) async throws -> BlobInfo? {
        guard let sourceAccess = try? await self.access(source, caller: access.caller, .pull, requestID: access.requestID),
              let location = try? await blob(sourceAccess, digest) else { return nil }
        try await link(access, location.info)
        return location.info
    }

    /// Unlinks a blob from a repository (the store keeps it until garbage collection finds it unreferenced).
    public func deleteBlob(_ access: RepositoryAccess, _ digest: ContentDigest) async throws {
        try await store.transaction { db in
            guard try await linkedSize(access.repository, digest, db) != nil else {
                throw PlatformError(.artifactBlobUnknown, "blob \(digest) is not in \(access.repository)")
            }
            try await db.delete(from: "artifacts_blob_links").where("repository", .equal, access.repository.name)
                .where("digest", .equal, digest.description).run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(access.caller.principalId), action: "artifacts.blob.delete",
                           target: "blob/\(access.repository)@\(digest)", outcome: .success, requestID: access.requestID,
                           project: access.project.id),
                tenant: access.project.tenantId, in: db)
        }
    }

    func requireUpload(_ access: RepositoryAccess, _ id: String) async throws {
        let row = try await store.read { db in
            try await db.select().column("repository").from("artifacts_uploads").where("id", .equal, id).first()
        }
        guard try row?.decode(column: "repository", as: String.self) == access.repository.name else {
            throw PlatformError(.artifactUploadUnknown, "no upload \(id) in \(access.repository)")
        }
    }

    func forgetUpload(_ id: String) async throws {
        try await store.transaction { db in
            try await db.delete(from: "artifacts_uploads").where("id", .equal, id).run()
        }
    }
}

import Crypto
import Foundation
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit

/// A stored manifest as served.
public struct StoredManifest: Sendable {
    /// Its digest.
    public let digest: ContentDigest
    /// Its media type.
    public let mediaType: String
    /// Its bytes, exactly as pushed.
    public let bytes: Data
}

/// What a manifest PUT did.
public struct ManifestReceipt: Sendable {
    /// The manifest's digest.
    public let digest: ContentDigest
    /// Its subject, when it is a referrer (answered as `OCI-Subject`).
    public let subject: ContentDigest?
}

extension OCIRegistry {
    /// Stores a manifest under its digest and, when `reference` is a tag, points the tag at it.
    /// Signature and evidence referrers (DSSE envelopes, cosign `.sig` tags) are verified
    /// against the project's trusted keys first and refused when they do not verify.
    /// - Throws: ``ErrorCode/artifactManifestInvalid``, ``ErrorCode/artifactManifestTooLarge``,
    ///   ``ErrorCode/artifactManifestBlobUnknown``, ``ErrorCode/artifactDigestInvalid``, signature codes.
    public func putManifest(_ access: RepositoryAccess, reference: String, bytes: Data, contentType: String?) async throws -> ManifestReceipt {
        guard bytes.count <= Self.maxManifestBytes else {
            throw PlatformError(.artifactManifestTooLarge, "the manifest is \(bytes.count) bytes; the limit is \(Self.maxManifestBytes)")
        }
        let digest = ContentDigest(sha256Bytes: SHA256.hash(data: bytes))
        let tag = try Self.tagOrDigest(reference, digest: digest)
        let (document, mediaType) = try ManifestDocument.parse(bytes, declared: contentType)
        let missing = try await store.read { db in
            var missing: [String] = []
            for reference in document.references {
                let present = MediaType.manifests.contains(reference.mediaType) && document.manifests != nil
                    ? try await db.select().column("digest").from("artifacts_manifests").where("repository", .equal, access.repository.name)
                        .where("digest", .equal, reference.digest.description).first() != nil
                    : try await linkedSize(access.repository, reference.digest, db) == reference.size
                if !present { missing.append(reference.digest.description) }
            }
            return missing
        }
        guard missing.isEmpty else {
            throw PlatformError(.artifactManifestBlobUnknown, "the manifest references content the repository does not have (or with another size): \(missing.joined(separator: ", "))",
                                details: ["missing": missing.joined(separator: ",")])
        }
        let signature = try await ledger.checkIncoming(
            access, manifest: document, digest: digest, tag: tag, blobs: { try await blobs.readAll($0) })
        let standardConfigs: Set<String> = [MediaType.imageConfig, "application/vnd.docker.container.image.v1+json"]
        let artifactType = document.artifactType ?? document.config.map(\.mediaType).flatMap { standardConfigs.contains($0) ? nil : $0 }
        let snapshot = try await pushPolicy()
        try checkArtifactType(access, mediaType: mediaType, artifactType: artifactType,
                              isReferrer: document.subject != nil || signature != nil, snapshot: snapshot)
        try await blobs.put(bytes, expecting: digest)
        // Kept beside the row so the referrers listing never re-reads manifests.
        let annotations = try document.annotations.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await store.transaction { db in
            let stored = try await db.select().column("digest").from("artifacts_manifests").where("repository", .equal, access.repository.name)
                .where("digest", .equal, digest.description).first() != nil
            if !stored { try await checkStorage(access, adding: Int64(bytes.count), snapshot: snapshot, db) }
            try await ensureRepository(access, db)
            let now = Timestamp.now().rfc3339
            try await db.insert(into: "artifacts_manifests")
                .columns("repository", "digest", "media_type", "artifact_type", "subject", "annotations", "size", "created_at")
                .values(SQLBind(access.repository.name), SQLBind(digest.description), SQLBind(mediaType), SQLBind(artifactType),
                        SQLBind(document.subject?.digest.description), SQLBind(annotations), SQLBind(Int64(bytes.count)), SQLBind(now))
                .ignoringConflicts().run()
            for child in Set(document.references.map(\.digest)) {
                try await db.insert(into: "artifacts_manifest_refs").columns("repository", "manifest", "child")
                    .values(SQLBind(access.repository.name), SQLBind(digest.description), SQLBind(child.description))
                    .ignoringConflicts().run()
            }
            if let tag {
                try await db.delete(from: "artifacts_tags").where("repository", .equal, access.repository.name).where("tag", .equal, tag).run()
                try await db.insert(into: "artifacts_tags").columns("repository", "tag", "digest", "updated_at")
                    .values(SQLBind(access.repository.name), SQLBind(tag), SQLBind(digest.description), SQLBind(now)).run()
            }
            try await ledger.register(access, digest: digest, mediaType: mediaType, artifactType: artifactType,
                                      isReferrer: document.subject != nil || signature != nil, db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(access.caller.principalId), action: "artifacts.manifest.push",
                           target: "manifest/\(access.repository)@\(digest)", outcome: .success, requestID: access.requestID,
                           details: ["tag": tag ?? "", "mediaType": mediaType, "subject": document.subject?.digest.description ?? ""]
                               .naming(policySnapshot: snapshot?.id),
                           project: access.project.id),
                tenant: access.project.tenantId, in: db)
        }
        if let signature {
            try await ledger.accept(signature, access: access)
        }
        return ManifestReceipt(digest: digest, subject: document.subject?.digest)
    }

    /// A manifest by tag or digest. Manifests of quarantined or revoked artifacts are served
    /// only to callers who may push (so signers can still sign them); others get
    /// ``ErrorCode/artifactPullGated``.
    public func manifest(_ access: RepositoryAccess, reference: String) async throws -> StoredManifest {
        let row = try await store.read { db in
            let digest = try await resolve(access.repository, reference, db)
            return try await db.select().columns("digest", "media_type").from("artifacts_manifests")
                .where("repository", .equal, access.repository.name).where("digest", .equal, digest?.description ?? "").first()
        }
        guard let row else {
            throw PlatformError(.artifactManifestUnknown, "no manifest \(reference) in \(access.repository)")
        }
        let digest = try ContentDigest(parsing: try row.decode(column: "digest", as: String.self))
        try await ledger.checkPull(access, digest: digest)
        let bytes = try await blobs.readAll(digest)
        return StoredManifest(digest: digest, mediaType: try row.decode(column: "media_type", as: String.self), bytes: bytes)
    }

    /// Deletes a manifest (by digest: the manifest and the tags on it) or a tag.
    public func deleteManifest(_ access: RepositoryAccess, reference: String) async throws {
        try await store.transaction { db in
            if let digest = try? ContentDigest(parsing: reference) {
                guard try await db.select().column("digest").from("artifacts_manifests").where("repository", .equal, access.repository.name)
                    .where("digest", .equal, digest.description).first() != nil else {
                    throw PlatformError(.artifactManifestUnknown, "no manifest \(reference) in \(access.repository)")
                }
                for table in ["artifacts_manifests", "artifacts_tags"] {
                    try await db.delete(from: table).where("repository", .equal, access.repository.name)
                        .where("digest", .equal, digest.description).run()
                }
                try await db.delete(from: "artifacts_manifest_refs").where("repository", .equal, access.repository.name)
                    .where("manifest", .equal, digest.description).run()
            } else {
                guard try await db.select().column("tag").from("artifacts_tags").where("repository", .equal, access.repository.name)
                    .where("tag", .equal, reference).first() != nil else {
                    throw PlatformError(.artifactManifestUnknown, "no tag \(reference) in \(access.repository)")
                }
                try await db.delete(from: "artifacts_tags").where("repository", .equal, access.repository.name)
                    .where("tag", .equal, reference).run()
            }
            try await audit.append(
                AuditEvent(actor: PrincipalID(access.caller.principalId), action: "artifacts.manifest.delete",
                           target: "manifest/\(access.repository):\(reference)", outcome: .success, requestID: access.requestID,
                           project: access.project.id),
                tenant: access.project.tenantId, in: db)
        }
    }

    /// The digest a tag or digest reference names, if the repository has it.
    func resolve(_ repository: RepositoryName, _ reference: String, _ db: any SQLDatabase) async throws -> ContentDigest? {
        if reference.hasPrefix("sha256:") || reference.contains(":") {
            return try ContentDigest(parsing: reference)
        }
        guard let row = try await db.select().column("digest").from("artifacts_tags").where("repository", .equal, repository.name)
            .where("tag", .equal, reference).first() else { return nil }
        return try ContentDigest(parsing: try row.decode(column: "digest", as: String.self))
    }

    static func tagOrDigest(_ reference: String, digest: ContentDigest) throws -> String? {
        if reference.contains(":") {
            let named: ContentDigest
            do { named = try ContentDigest(parsing: reference) } catch {
                throw PlatformError(.artifactDigestInvalid, error.message)
            }
            guard named == digest else {
                throw PlatformError(.artifactDigestInvalid, "the manifest hashes to \(digest), not \(named)")
            }
            return nil
        }
        guard RepositoryName.isValidTag(reference) else {
            throw PlatformError(.artifactManifestInvalid, "\"\(reference.prefix(130))\" is not a valid tag")
        }
        return reference
    }
}

extension OCIRegistry {
    /// The platform's own lookup of a manifest digest (by tag or digest) when it launches an
    /// image for a caller who may launch but not pull; `nil` when the repository has no such
    /// manifest. Callers check trust state themselves.
    public func manifestDigest(repository name: String, reference: String) async throws -> ContentDigest? {
        let repository = try RepositoryName(name)
        return try await store.read { db in
            guard let digest = try await resolve(repository, reference, db) else { return nil }
            let known = try await db.select().column("digest").from("artifacts_manifests")
                .where("repository", .equal, repository.name).where("digest", .equal, digest.description).first()
            return known == nil ? nil : digest
        }
    }
}

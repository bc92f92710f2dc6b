import Foundation
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit

/// One page of a tag listing.
public struct TagPage: Sendable {
    /// Tags in lexical order.
    public let tags: [String]
    /// The last tag of the page when more follow (for the `Link` header).
    public let next: String?
}

extension OCIRegistry {
    /// Tags in lexical order after `last`, at most `limit` (`nil`: all).
    /// - Throws: ``ErrorCode/artifactNameUnknown`` when the repository has never been pushed to.
    public func tags(_ access: RepositoryAccess, limit: Int?, after last: String?) async throws -> TagPage {
        try await store.read { db in
            guard try await exists(access.repository, db) else {
                throw PlatformError(.artifactNameUnknown, "no repository \(access.repository)")
            }
            if limit == 0 { return TagPage(tags: [], next: nil) }
            var query = db.select().column("tag").from("artifacts_tags").where("repository", .equal, access.repository.name)
            if let last { query = query.where("tag", .greaterThan, last) }
            // Byte order, like the reference implementation, on both databases.
            query = query.orderBy(SQLRaw("tag COLLATE \(db.dialect.name == "postgresql" ? "\"C\"" : "BINARY")"))
            if let limit { query = query.limit(limit + 1) }
            var tags = try await query.all().map { try $0.decode(column: "tag", as: String.self) }
            var next: String?
            if let limit, tags.count > limit {
                tags = Array(tags.prefix(limit))
                next = tags.last
            }
            return TagPage(tags: tags, next: next)
        }
    }

    /// Manifests whose subject is `digest`, as index descriptors, optionally only those of one artifact type.
    public func referrers(_ access: RepositoryAccess, of digest: ContentDigest, artifactType: String?) async throws -> [Descriptor] {
        try await store.read { db in
            var query = db.select().columns("digest", "media_type", "artifact_type", "annotations", "size").from("artifacts_manifests")
                .where("repository", .equal, access.repository.name).where("subject", .equal, digest.description)
            if let artifactType { query = query.where("artifact_type", .equal, artifactType) }
            return try await query.orderBy("created_at").all().map { row in
                Descriptor(
                    mediaType: try row.decode(column: "media_type", as: String.self),
                    digest: try ContentDigest(parsing: try row.decode(column: "digest", as: String.self)),
                    size: try row.decode(column: "size", as: Int64.self),
                    artifactType: try row.decode(column: "artifact_type", as: String?.self),
                    annotations: try row.decode(column: "annotations", as: String?.self)
                        .flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) })
            }
        }
    }
}

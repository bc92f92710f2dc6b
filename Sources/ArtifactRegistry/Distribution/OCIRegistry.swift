import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// The built-in OCI Distribution v1.1 registry: repositories namespaced by project, blobs in
/// the content-addressed store (visible only after their digest verified), manifests by
/// digest with tag links, referrers, and signature checks on the way in.
///
/// Every operation starts with ``access(_:caller:_:requestID:)``: the project must be in the
/// caller's reach (otherwise the repository is unknown, so its existence does not leak) and
/// the caller must hold the action's scope.
public struct OCIRegistry: Sendable {
    let store: SQLStore
    let blobs: any BlobStore
    let uploads: ResumableUploads
    let identity: any Authorizer
    let audit: any TransactionalAuditing
    let ledger: TrustLedger
    /// Artifact types allowed and the storage quota per project; `nil` enforces neither (tools).
    let policy: (any PolicyEvaluator)?

    /// The largest manifest accepted (the spec asks for at least 4 MiB).
    public static let maxManifestBytes = 16 << 20

    /// Creates the registry.
    /// - Parameter policy: Decides pushes (`access.artifact_types`, `quota.registry_storage_bytes`);
    ///   the server always passes one, `nil` (tools, tests of other parts) enforces neither.
    /// - Parameter uploads: Where chunked pushes stage until their digest is checked (local disk).
    public init(store: SQLStore, blobs: any BlobStore, uploads: ResumableUploads, identity: any Authorizer,
                audit: any TransactionalAuditing, ledger: TrustLedger, policy: (any PolicyEvaluator)? = nil) {
        self.policy = policy
        self.store = store
        self.blobs = blobs
        self.uploads = uploads
        self.identity = identity
        self.audit = audit
        self.ledger = ledger
    }

    /// A registry over a filesystem store, staging uploads in the store's own folder.
    public init(store: SQLStore, blobs: FileSystemBlobStore, identity: any Authorizer,
                audit: any TransactionalAuditing, ledger: TrustLedger, policy: (any PolicyEvaluator)? = nil) {
        self.init(store: store, blobs: blobs, uploads: ResumableUploads(store: blobs), identity: identity, audit: audit,
                  ledger: ledger, policy: policy)
    }

    /// Resolves a name in either form to the repository's identity and its project.
    /// A project (or tenant) outside the caller's reach reads exactly like a missing one.
    /// - Throws: ``ErrorCode/artifactNameInvalid``, ``ErrorCode/artifactNameUnknown``.
    public func resolve(_ name: String, caller: Caller) async throws -> ResolvedRepository {
        let reference = try RepositoryReference(name)
        let project: Project
        do {
            project = try await identity.project(reference.project, visibleTo: caller)
        } catch let error as PlatformError where error.code == .iamNotFound {
            throw PlatformError(.artifactNameUnknown, "no repository \(name)", details: ["repository": name])
        }
        return ResolvedRepository(repository: RepositoryName(projectID: project.id, path: reference.path), project: project, requested: name)
    }

    /// Checks the caller against a repository for an action.
    /// - Throws: ``ErrorCode/artifactNameInvalid``, ``ErrorCode/artifactNameUnknown`` (project out of
    ///   reach), ``ErrorCode/iamForbidden`` (scope missing; audited).
    public func access(_ name: String, caller: Caller, _ action: RegistryAction, requestID: String?) async throws -> RepositoryAccess {
        try await access(try await resolve(name, caller: caller), caller: caller, action, requestID: requestID)
    }

    /// Checks the caller's scopes for an action on a resolved repository.
    /// - Throws: ``ErrorCode/iamForbidden`` (scope missing; audited).
    public func access(_ resolved: ResolvedRepository, caller: Caller, _ action: RegistryAction, requestID: String?) async throws -> RepositoryAccess {
        let (repository, project) = (resolved.repository, resolved.project)
        let decision = try await identity.authorize(caller, scope: action.scope)
        if case .deny(let reason) = decision {
            try await store.transaction { db in
                try await audit.append(
                    AuditEvent(actor: PrincipalID(caller.principalId), action: "iam.access.denied", target: "repository/\(repository)",
                               outcome: .denied, requestID: requestID, details: ["scope": action.scope, "reason": reason],
                               project: project.id),
                    tenant: project.tenantId, in: db)
            }
            throw PlatformError(.iamForbidden, "\(reason); \(action.rawValue) on \(resolved.requested) needs \(action.scope)")
        }
        return RepositoryAccess(repository: repository, project: project, requested: resolved.requested, caller: caller,
                                action: action, requestID: requestID)
    }

    /// Whether the repository has any manifest, tag or blob.
    func exists(_ repository: RepositoryName, _ db: any SQLDatabase) async throws -> Bool {
        try await db.select().column("name").from("artifacts_repositories").where("name", .equal, repository.name).first() != nil
    }

    /// Records the repository on first push.
    func ensureRepository(_ access: RepositoryAccess, _ db: any SQLDatabase) async throws {
        guard try await !exists(access.repository, db) else { return }
        try await db.insert(into: "artifacts_repositories").columns("name", "project_id", "created_at")
            .values(SQLBind(access.repository.name), SQLBind(access.project.id), SQLBind(Timestamp.now().rfc3339))
            .ignoringConflicts().run()
    }

    /// Links a committed blob into a repository, within the project's storage quota.
    /// - Throws: ``ErrorCode/artifactStorageQuotaExceeded``, ``ErrorCode/policyStale``.
    func link(_ access: RepositoryAccess, _ info: BlobInfo) async throws {
        let snapshot = try await pushPolicy()
        try await store.transaction { db in
            if try await linkedSize(access.repository, info.digest, db) == nil {
                try await checkStorage(access, adding: info.size, snapshot: snapshot, db)
            }
            try await ensureRepository(access, db)
            try await db.insert(into: "artifacts_blob_links").columns("repository", "digest", "size", "created_at")
                .values(SQLBind(access.repository.name), SQLBind(info.digest.description), SQLBind(info.size),
                        SQLBind(Timestamp.now().rfc3339))
                .ignoringConflicts().run()
        }
    }

    /// The size of a blob linked into the repository, or `nil`.
    func linkedSize(_ repository: RepositoryName, _ digest: ContentDigest, _ db: any SQLDatabase) async throws -> Int64? {
        try await db.select().column("size").from("artifacts_blob_links").where("repository", .equal, repository.name)
            .where("digest", .equal, digest.description).first()?.decode(column: "size", as: Int64.self)
    }
}

import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// The IAM administration service: tenants, projects, principals, memberships and API keys
/// in SQL, every mutation audited in its own transaction. Its ``Authorizer`` part is
/// ``IAMAuthorizer`` (``authorizer``), which is all that product code and the `/v1` edge get.
public struct IAMDirectory: IdentityService {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "iam", kind: .sharedService, contract: "IdentityService",
        summary: "tenants, projects, principals, scoped API keys and fail-closed authorization.")

    /// The small part product code needs: authenticate, authorize, resolve a project.
    public let authorizer: IAMAuthorizer
    let store: SQLStore
    let scopes: ScopeRegistry
    let audit: any TransactionalAuditing
    let policy: IAMPolicy

    /// Creates the service; `onAuthorize` is told each authorization's duration (a metric).
    /// - Parameter readModel: The authorizer's cache (platformd passes one); `nil` reads the
    ///   tables on every request.
    public init(store: SQLStore, scopes: ScopeRegistry, audit: any TransactionalAuditing, policy: IAMPolicy = .standard,
                readModel: IAMReadModel? = nil, onAuthorize: (@Sendable (Duration) -> Void)? = nil) {
        self.authorizer = IAMAuthorizer(store: store, scopes: scopes, readModel: readModel, onAuthorize: onAuthorize)
        self.store = store
        self.scopes = scopes
        self.audit = audit
        self.policy = policy
    }

    // MARK: The Authorizer part, answered by ``authorizer``

    /// Resolves a presented key to its caller.
    public func authenticate(keyText: String) async throws -> Caller {
        try await authorizer.authenticate(keyText: keyText)
    }

    /// The caller's grants now.
    public func authorize(_ caller: Caller) async throws -> Grants {
        try await authorizer.authorize(caller)
    }

    /// One project within the caller's reach.
    public func project(_ id: String, visibleTo caller: Caller) async throws -> Project {
        try await authorizer.project(id, visibleTo: caller)
    }

    /// Scopes a principal holds through memberships that cover (tenant, project).
    func heldScopes(of principal: String, tenant: String?, project: String?, _ db: any SQLDatabase) async throws -> Set<String> {
        try await authorizer.heldScopes(of: principal, tenant: tenant, project: project, db)
    }

    /// The project by id, or not-found when it is outside the caller's reach.
    func requireProject(_ reference: String, reachableBy caller: Caller, _ db: any SQLDatabase) async throws -> Project {
        try await authorizer.requireProject(reference, reachableBy: caller, db)
    }

    static func hash(_ secret: String) -> String { IAMAuthorizer.hash(secret) }
}

import Crypto
import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// The ``Authorizer`` over the IAM tables: who a key belongs to, what its caller may do
/// now, and which project a request names. Without a read model it reads the tables on
/// every request; with one (``IAMReadModel``, what platformd runs) keys and memberships are
/// served from memory within the model's freshness budget, and dropped at once when an IAM
/// write commits here or, on PostgreSQL, on another replica. Expiry is checked on every use
/// either way. Product code and the `/v1` edge hold this; only the IAM routes hold the whole
/// ``IAMDirectory``.
public struct IAMAuthorizer: Authorizer {
    let store: SQLStore
    let scopes: ScopeRegistry
    /// The registered (not retired) scopes, computed once.
    let registered: Set<String>
    /// Each role's known scopes, computed once (``ScopeRegistry/scopes(ofRole:)`` scans the
    /// registry per scope, which showed in the authorize profile).
    let roleScopes: [String: Set<String>]
    /// Told how long each ``authorize(_:)`` took, answered or failed (IAM fails closed, so a
    /// slow read model slows every request): `platform_authz_duration_seconds`.
    let onAuthorize: (@Sendable (Duration) -> Void)?
    /// The cache of keys and memberships; `nil` reads the tables on every request.
    public let readModel: IAMReadModel?

    /// Creates the authorizer.
    public init(store: SQLStore, scopes: ScopeRegistry, readModel: IAMReadModel? = nil,
                onAuthorize: (@Sendable (Duration) -> Void)? = nil) {
        self.store = store
        self.scopes = scopes
        self.registered = Set(scopes.scopes.map(\.scopeId).filter(scopes.isKnown))
        self.roleScopes = Dictionary(scopes.roles.map { ($0.roleId, scopes.scopes(ofRole: $0.roleId)) }) { first, _ in first }
        self.readModel = readModel
        self.onAuthorize = onAuthorize
    }

    /// Resolves a presented key to its caller.
    public func authenticate(keyText: String) async throws -> Caller {
        let token = try APIKeyToken(parsing: keyText)
        let entry: IAMReadModel.KeyEntry
        if let cached = readModel?.key(token.lookupID) {
            entry = cached
        } else {
            let generation = readModel?.generation() ?? 0
            entry = try await store.read { db in
                guard let row = try await Self.keyQuery(db).where(SQLColumn("id", table: "k"), .equal, SQLBind(token.lookupID)).first()
                else { throw PlatformError(.iamKeyInvalid, "unknown API key") }
                return try Self.keyEntry(fromKeyRow: row)
            }
            readModel?.store(key: token.lookupID, entry, generation: generation)
        }
        guard Self.constantTimeEqual(Self.hash(token.secret), entry.secretHash) else {
            throw PlatformError(.iamKeyInvalid, "unknown API key")
        }
        return try Self.caller(from: entry, keyID: token.lookupID)
    }

    /// The caller of the key `keyID` names, read now: what a console session stands for.
    /// - Throws: ``ErrorCode/iamKeyInvalid`` when the key is unknown, revoked, expired or its
    ///   account deleted.
    func caller(keyID: String, _ db: any SQLDatabase) async throws -> Caller {
        guard let row = try await Self.keyQuery(db).where(SQLColumn("id", table: "k"), .equal, SQLBind(keyID)).first()
        else { throw PlatformError(.iamKeyInvalid, "unknown API key") }
        return try Self.caller(from: Self.keyEntry(fromKeyRow: row), keyID: keyID)
    }

    static func keyQuery(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select()
            .column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("k")))
            .column(SQLColumn("name", table: "p")).column(SQLColumn("kind", table: "p"))
            .column(SQLColumn("deleted_at", table: "p"))
            .from(SQLAlias(SQLIdentifier("iam_api_keys"), as: SQLIdentifier("k")))
            .join(SQLAlias(SQLIdentifier("iam_principals"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                  on: SQLColumn("principal_id", table: "k"), .equal, SQLColumn("id", table: "p"))
    }

    /// What the authorizer keeps of a key row (``keyQuery(_:)``).
    static func keyEntry(fromKeyRow row: any SQLRow) throws -> IAMReadModel.KeyEntry {
        IAMReadModel.KeyEntry(
            secretHash: try row.decode(column: "secret_hash", as: String.self),
            principalId: try row.decode(column: "principal_id", as: String.self),
            principalName: try row.decode(column: "name", as: String.self),
            principalKind: try row.decode(column: "kind", as: String.self),
            tenantId: try row.decode(column: "tenant_id", as: String?.self),
            projectId: try row.decode(column: "project_id", as: String?.self),
            scopes: try row.decode(column: "scopes", as: String.self),
            expiresAt: try row.decode(column: "expires_at", as: String.self),
            revoked: try row.decode(column: "revoked_at", as: String?.self) != nil,
            principalDeleted: try row.decode(column: "deleted_at", as: String?.self) != nil)
    }

    /// The caller of a key, refusing a revoked or expired key and a deleted account (expiry
    /// against the clock now, also for a cached key).
    static func caller(from entry: IAMReadModel.KeyEntry, keyID: String) throws -> Caller {
        guard !entry.revoked else { throw PlatformError(.iamKeyInvalid, "this API key was revoked") }
        guard !entry.principalDeleted else { throw PlatformError(.iamKeyInvalid, "the account of this API key was deleted") }
        guard entry.expiresAt > Timestamp.now().rfc3339 else {
            throw PlatformError(.iamKeyInvalid, "this API key expired at \(entry.expiresAt)")
        }
        return Caller(
            principalId: entry.principalId, principalName: entry.principalName, principalKind: entry.principalKind,
            keyId: keyID, tenantId: entry.tenantId, projectId: entry.projectId,
            scopes: Self.scopeList(entry.scopes), expiresAt: entry.expiresAt)
    }

    /// The caller's grants: its key's scopes and what its principal's memberships within the
    /// key's reach hold now, in one read of the memberships.
    public func authorize(_ caller: Caller) async throws -> Grants {
        let started = ContinuousClock.now
        defer { onAuthorize?(ContinuousClock.now - started) }
        let memberships: [IAMReadModel.Membership]
        if let cached = readModel?.memberships(of: caller.principalId) {
            memberships = cached
        } else {
            let generation = readModel?.generation() ?? 0
            memberships = try await store.read { db in try await Self.memberships(of: caller.principalId, db) }
            readModel?.store(memberships: memberships, of: caller.principalId, generation: generation)
        }
        let held = heldScopes(memberships, tenant: caller.tenantId, project: caller.projectId)
        return Grants(keyScopes: Set(caller.scopes), heldScopes: held, registeredScopes: registered)
    }

    /// One project within the caller's reach, by id (any case) or `tenant/project` names.
    public func project(_ id: String, visibleTo caller: Caller) async throws -> Project {
        try await store.read { db in try await requireProject(id, reachableBy: caller, db) }
    }

    /// Scopes a principal holds through memberships that cover (tenant, project).
    func heldScopes(of principal: String, tenant: String?, project: String?, _ db: any SQLDatabase) async throws -> Set<String> {
        heldScopes(try await Self.memberships(of: principal, db), tenant: tenant, project: project)
    }

    /// A principal's membership rows.
    static func memberships(of principal: String, _ db: any SQLDatabase) async throws -> [IAMReadModel.Membership] {
        try await db.select().columns("reach", "reach_id", "role").from("iam_memberships")
            .where("principal_id", .equal, principal).all().map { row in
                IAMReadModel.Membership(reach: try row.decode(column: "reach", as: String.self),
                                        reachId: try row.decode(column: "reach_id", as: String.self),
                                        role: try row.decode(column: "role", as: String.self))
            }
    }

    /// Scopes the memberships that cover (tenant, project) hold.
    func heldScopes(_ memberships: [IAMReadModel.Membership], tenant: String?, project: String?) -> Set<String> {
        var result = Set<String>()
        for membership in memberships {
            let covers = switch membership.reach {
            case "platform": true
            case "tenant": tenant == membership.reachId
            case "project": project == membership.reachId
            default: false
            }
            if covers { result.formUnion(roleScopes[membership.role] ?? []) }
        }
        return result
    }

    /// The project by id (a ULID in any case) or by names, `tenant/project`, or not-found
    /// when it is outside the caller's reach: a name the caller cannot see reads exactly like
    /// a missing one. References arrive decoded: the `/v1` router percent-decodes each path
    /// parameter once (`acme%2Fml` → `acme/ml`) and the registry its path segments; decoding
    /// again here would let a twice-encoded `acme%252Fml` name a project.
    func requireProject(_ reference: String, reachableBy caller: Caller, _ db: any SQLDatabase) async throws -> Project {
        let names = reference.split(separator: "/", omittingEmptySubsequences: false)
        let row: (any SQLRow)?
        if names.count == 2 {
            row = try await db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("p")))
                .from(SQLAlias(SQLIdentifier("iam_projects"), as: SQLIdentifier("p")))
                .join(SQLAlias(SQLIdentifier("iam_tenants"), as: SQLIdentifier("t")), method: SQLJoinMethod.inner,
                      on: SQLColumn("tenant_id", table: "p"), .equal, SQLColumn("id", table: "t"))
                .where(SQLColumn("name", table: "t"), .equal, SQLBind(String(names[0])))
                .where(SQLColumn("name", table: "p"), .equal, SQLBind(String(names[1])))
                .first()
        } else if let id = ULID.canonical(reference) {
            row = try await db.select().columns("*").from("iam_projects").where("id", .equal, id.description).first()
        } else {
            row = nil
        }
        guard let row, let project = try? Self.project(from: row),
              caller.tenantId == nil || caller.tenantId == project.tenantId,
              caller.projectId == nil || caller.projectId == project.id
        else { throw PlatformError(.iamNotFound, "no project \(reference)") }
        return project
    }

    static func project(from row: any SQLRow) throws -> Project {
        Project(id: try row.decode(column: "id", as: String.self), tenantId: try row.decode(column: "tenant_id", as: String.self),
                name: try row.decode(column: "name", as: String.self), createdAt: try row.decode(column: "created_at", as: String.self))
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).lowercaseHex
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func scopeList(_ text: String) -> [String] {
        text.split(separator: " ").map(String.init).sorted()
    }
}

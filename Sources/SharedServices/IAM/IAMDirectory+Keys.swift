import PlatformContracts
import PlatformStore
import SQLKit

extension IAMDirectory {
    /// Issues a key to a service account, bound to its project, with a subset of its scopes.
    public func createKey(_ request: KeyRequest, by caller: Caller, requestID: String?) async throws -> IssuedKey {
        let lifetime = try checkedLifetime(request.expiresInSeconds)
        let wanted = Set(request.scopes)
        guard !wanted.isEmpty else { throw PlatformError(.iamInvalidRequest, "a key needs at least one --scope") }
        if let unknown = wanted.sorted().first(where: { !scopes.isKnown($0) }) {
            throw PlatformError(.iamScopeUnknown, "scope \(unknown) is not in the scope registry (version \(scopes.version))")
        }
        return try await store.transaction { db in
            let account = try await requireServiceAccount(request.serviceAccount, reachableBy: caller, db)
            let held = try await heldScopes(of: account.id, tenant: account.tenantId, project: account.projectId, db)
            let missing = wanted.subtracting(held)
            guard missing.isEmpty else {
                throw PlatformError(.iamScopeNotHeld, "\(account.name) (role \(account.role)) does not hold \(missing.sorted().joined(separator: ", "))")
            }
            try await requireCallerHolds(wanted, by: caller, action: "create a key with", db)
            let issued = try await insertKey(
                principal: account.id, tenant: account.tenantId, project: account.projectId, scopes: wanted, lifetime: lifetime, db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "iam.key.create", target: "key/\(issued.info.id)",
                           outcome: .success, requestID: requestID,
                           details: ["principal": account.id, "scopes": wanted.sorted().joined(separator: " "), "expires_at": issued.info.expiresAt],
                           project: account.projectId),
                tenant: account.tenantId, in: db)
            return issued
        }
    }

    /// Keys within the caller's reach, newest first.
    public func keys(visibleTo caller: Caller) async throws -> [APIKeyInfo] {
        try await store.read { db in
            var query = db.select().columns("*").from("iam_api_keys").orderBy("created_at", .descending)
            if let tenant = caller.tenantId { query = query.where("tenant_id", .equal, tenant) }
            if let project = caller.projectId { query = query.where("project_id", .equal, project) }
            return try await query.all().map(Self.keyInfo(from:))
        }
    }

    /// Issues a replacement with the same binding and scopes; the old key keeps working for
    /// at most `overlapSeconds` (bounded by policy), never longer than it would have.
    public func rotateKey(id: String, overlapSeconds: Int64, by caller: Caller, requestID: String?) async throws -> IssuedKey {
        guard (0...policy.maximumRotationOverlap).contains(overlapSeconds) else {
            throw PlatformError(.iamExpiryInvalid, "the rotation overlap must be between 0 and \(policy.maximumRotationOverlap) seconds")
        }
        return try await changingAccess { db in
            let old = try await requireKey(id, reachableBy: caller, db)
            guard old.revokedAt == nil, old.replacedBy == nil, old.expiresAt > Timestamp.now().rfc3339 else {
                throw PlatformError(.iamInvalidRequest, "key \(id) is revoked, expired or already rotated")
            }
            // The replacement's secret goes to the caller: rotating is minting, so the same rule applies.
            try await requireCallerHolds(Set(old.scopes), by: caller, action: "rotate a key carrying", db)
            let originalLifetime = Int64(
                (Timestamp(rfc3339: old.expiresAt)?.millisecondsSinceEpoch ?? 0) / 1000
                    - (Timestamp(rfc3339: old.createdAt)?.millisecondsSinceEpoch ?? 0) / 1000)
            let issued = try await insertKey(
                principal: old.principalId, tenant: old.tenantId, project: old.projectId, scopes: Set(old.scopes),
                lifetime: min(max(originalLifetime, policy.minimumKeyLifetime), policy.maximumKeyLifetime), db)
            let overlapEnd = Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch + UInt64(overlapSeconds) * 1000).rfc3339
            try await db.update("iam_api_keys")
                .set("expires_at", to: SQLBind(min(overlapEnd, old.expiresAt)))
                .set("replaced_by", to: SQLBind(issued.info.id))
                .where("id", .equal, id).run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "iam.key.rotate", target: "key/\(id)",
                           outcome: .success, requestID: requestID,
                           details: ["replacement": issued.info.id, "old_expires_at": min(overlapEnd, old.expiresAt)],
                           project: old.projectId),
                tenant: old.tenantId, in: db)
            return issued
        }
    }

    /// Revokes a key at once.
    public func revokeKey(id: String, by caller: Caller, requestID: String?) async throws -> APIKeyInfo {
        try await changingAccess { db in
            var key = try await requireKey(id, reachableBy: caller, db)
            guard key.revokedAt == nil else { return key }
            let now = Timestamp.now().rfc3339
            try await db.update("iam_api_keys").set("revoked_at", to: SQLBind(now)).where("id", .equal, id).run()
            key.revokedAt = now
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "iam.key.revoke", target: "key/\(id)",
                           outcome: .success, requestID: requestID, project: key.projectId),
                tenant: key.tenantId, in: db)
            return key
        }
    }

    // MARK: Internals

    /// Runs an IAM write that can narrow what a key or principal may do (revoke, rotate,
    /// delete an account): inside its transaction it notifies the other replicas' read models
    /// (delivered on commit, on PostgreSQL), and after the commit it drops this process's.
    func changingAccess<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await store.transaction { db in
            let value = try await body(db)
            try await store.notify(.iam, in: db)
            return value
        }
        authorizer.readModel?.invalidateAll()
        return result
    }

    /// Nobody mints more than they hold: every scope of a key the caller creates or rotates
    /// (and so receives the secret of) must be carried by the caller's own key *and* still be
    /// held by the caller's principal. Checking only the target account's scopes let a key
    /// holding just `iam:key:create` mint an `artifacts:trust:promote` key.
    func requireCallerHolds(_ wanted: Set<String>, by caller: Caller, action: String, _ db: any SQLDatabase) async throws {
        let principalHolds = try await heldScopes(of: caller.principalId, tenant: caller.tenantId, project: caller.projectId, db)
        let effective = principalHolds.intersection(caller.scopes)
        let beyond = wanted.subtracting(effective)
        guard beyond.isEmpty else {
            throw PlatformError(.iamScopeNotHeld, "your key may not \(action) scopes it does not hold itself: \(beyond.sorted().joined(separator: ", "))")
        }
    }

    func checkedLifetime(_ seconds: Int64) throws -> Int64 {
        guard seconds >= policy.minimumKeyLifetime, seconds <= policy.maximumKeyLifetime else {
            throw PlatformError(
                .iamExpiryInvalid,
                "key lifetime must be between \(policy.minimumKeyLifetime) s and \(policy.maximumKeyLifetime) s (\(policy.maximumKeyLifetime / 86_400) days); got \(seconds) s")
        }
        return seconds
    }

    func insertKey(principal: String, tenant: String?, project: String?, scopes granted: Set<String>, lifetime: Int64,
                   _ db: any SQLDatabase) async throws -> IssuedKey {
        let token = APIKeyToken.generate()
        let now = Timestamp.now()
        let info = APIKeyInfo(
            id: token.lookupID, principalId: principal, tenantId: tenant, projectId: project, scopes: granted.sorted(),
            createdAt: now.rfc3339,
            expiresAt: Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + UInt64(lifetime) * 1000).rfc3339,
            revokedAt: nil, replacedBy: nil, registryVersion: scopes.version)
        try await db.insert(into: "iam_api_keys")
            .columns("id", "principal_id", "tenant_id", "project_id", "scopes", "secret_hash", "created_at", "expires_at", "registry_version")
            .values(SQLBind(info.id), SQLBind(principal), SQLBind(tenant), SQLBind(project),
                    SQLBind(info.scopes.joined(separator: " ")), SQLBind(Self.hash(token.secret)), SQLBind(info.createdAt),
                    SQLBind(info.expiresAt), SQLBind(info.registryVersion))
            .run()
        return IssuedKey(key: token.text, info: info)
    }

    func requireServiceAccount(_ reference: String, reachableBy caller: Caller, _ db: any SQLDatabase) async throws -> ServiceAccount {
        // A body names the account by id (a ULID, either case) or by name.
        let reference = ULID.canonical(reference)?.description ?? reference
        var query = db.select().column("id").from("iam_principals")
            .where("kind", .equal, "service_account").where("deleted_at", .is, SQLLiteral.null)
            .where { $0.where("id", .equal, reference).orWhere("name", .equal, reference) }
        if let tenant = caller.tenantId { query = query.where("tenant_id", .equal, tenant) }
        for row in try await query.all() {
            let id = try row.decode(column: "id", as: String.self)
            for membership in try await db.select().columns("reach", "reach_id").from("iam_memberships")
                .where("principal_id", .equal, id).all() {
                let reachID = try membership.decode(column: "reach_id", as: String.self)
                let reach: AccountReach
                switch try membership.decode(column: "reach", as: String.self) {
                case "project":
                    guard let project = try? await requireProject(reachID, reachableBy: caller, db) else { continue }
                    reach = .project(project)
                case "tenant":
                    guard let tenant = try? await requireTenantWide(reachID, reachableBy: caller, db) else { continue }
                    reach = .tenant(tenant)
                case "platform":
                    // Platform-wide accounts are reachable with platform-wide keys only.
                    guard caller.tenantId == nil, caller.projectId == nil else { continue }
                    reach = .platform
                default:
                    continue
                }
                if let account = try await accounts(in: reach, db).first(where: { $0.id == id }) { return account }
            }
        }
        throw PlatformError(.iamNotFound, "no service account \(reference)")
    }

    func requireKey(_ id: String, reachableBy caller: Caller, _ db: any SQLDatabase) async throws -> APIKeyInfo {
        guard let row = try await db.select().columns("*").from("iam_api_keys").where("id", .equal, id).first() else {
            throw PlatformError(.iamNotFound, "no key \(id)")
        }
        let key = try Self.keyInfo(from: row)
        guard caller.tenantId == nil || caller.tenantId == key.tenantId,
              caller.projectId == nil || caller.projectId == key.projectId
        else { throw PlatformError(.iamNotFound, "no key \(id)") }
        return key
    }

    static func keyInfo(from row: any SQLRow) throws -> APIKeyInfo {
        APIKeyInfo(
            id: try row.decode(column: "id", as: String.self), principalId: try row.decode(column: "principal_id", as: String.self),
            tenantId: try row.decode(column: "tenant_id", as: String?.self), projectId: try row.decode(column: "project_id", as: String?.self),
            scopes: IAMAuthorizer.scopeList(try row.decode(column: "scopes", as: String.self)),
            createdAt: try row.decode(column: "created_at", as: String.self), expiresAt: try row.decode(column: "expires_at", as: String.self),
            revokedAt: try row.decode(column: "revoked_at", as: String?.self), replacedBy: try row.decode(column: "replaced_by", as: String?.self),
            registryVersion: try row.decode(column: "registry_version", as: Int.self))
    }
}

import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

extension IAMDirectory {
    /// Creates a tenant; only platform-wide callers may.
    public func createTenant(name: String, by caller: Caller, requestID: String?) async throws -> Tenant {
        try Self.validateName(name)
        guard caller.tenantId == nil else {
            throw PlatformError(.iamForbidden, "only platform administrators create tenants")
        }
        let tenant = Tenant(id: ULID().description, name: name, createdAt: Timestamp.now().rfc3339)
        return try await conflictAsIAM("a tenant named \"\(name)\" already exists") {
            try await store.transaction { db in
                try await db.insert(into: "iam_tenants").columns("id", "name", "created_at")
                    .values(SQLBind(tenant.id), SQLBind(tenant.name), SQLBind(tenant.createdAt)).run()
                try await audit.append(
                    AuditEvent(actor: PrincipalID(caller.principalId), action: "iam.tenant.create", target: "tenant/\(tenant.id)",
                               outcome: .success, requestID: requestID, details: ["name": name]),
                    tenant: tenant.id, in: db)
                return tenant
            }
        }
    }

    /// Tenants within the caller's reach.
    public func tenants(visibleTo caller: Caller) async throws -> [Tenant] {
        try await store.read { db in
            var query = db.select().columns("*").from("iam_tenants").orderBy("name")
            if let tenant = caller.tenantId { query = query.where("id", .equal, tenant) }
            return try await query.all().map(Self.tenant(from:))
        }
    }

    /// Creates a project in a tenant the caller reaches.
    public func createProject(tenant reference: String, name: String, by caller: Caller, requestID: String?) async throws -> Project {
        try Self.validateName(name)
        guard caller.projectId == nil else {
            throw PlatformError(.iamForbidden, "a project-bound key cannot create projects")
        }
        return try await conflictAsIAM("a project named \"\(name)\" already exists in that tenant") {
            try await store.transaction { db in
                let tenant = try await requireTenant(reference, reachableBy: caller, db)
                let project = Project(id: ULID().description, tenantId: tenant.id, name: name, createdAt: Timestamp.now().rfc3339)
                try await db.insert(into: "iam_projects").columns("id", "tenant_id", "name", "created_at")
                    .values(SQLBind(project.id), SQLBind(project.tenantId), SQLBind(project.name), SQLBind(project.createdAt)).run()
                try await audit.append(
                    AuditEvent(actor: PrincipalID(caller.principalId), action: "iam.project.create", target: "project/\(project.id)",
                               outcome: .success, requestID: requestID, details: ["name": name], project: project.id),
                    tenant: tenant.id, in: db)
                return project
            }
        }
    }

    /// Projects of a tenant the caller reaches.
    public func projects(tenant reference: String, visibleTo caller: Caller) async throws -> [Project] {
        try await store.read { db in
            let tenant = try await requireTenant(reference, reachableBy: caller, db)
            var query = db.select().columns("*").from("iam_projects").where("tenant_id", .equal, tenant.id).orderBy("name")
            if let project = caller.projectId { query = query.where("id", .equal, project) }
            return try await query.all().map(Self.project(from:))
        }
    }

    /// Creates a service account with a role in a project the caller reaches.
    public func createServiceAccount(project reference: String, name: String, role: String, by caller: Caller, requestID: String?) async throws -> ServiceAccount {
        try await conflictAsIAM("an account named \"\(name)\" already exists in that tenant") { try await store.transaction { db in
            let project = try await requireProject(reference, reachableBy: caller, db)
            return try await createAccount(in: .project(project), name: name, role: role, roles: policy.assignableRoles, by: caller, requestID: requestID, db)
        } }
    }

    /// Creates a tenant-wide service account in a tenant the caller reaches with a
    /// tenant- or platform-wide key.
    public func createTenantServiceAccount(tenant reference: String, name: String, role: String, by caller: Caller, requestID: String?) async throws -> ServiceAccount {
        try await conflictAsIAM("an account named \"\(name)\" already exists in that tenant") { try await store.transaction { db in
            let tenant = try await requireTenantWide(reference, reachableBy: caller, db)
            return try await createAccount(in: .tenant(tenant), name: name, role: role, roles: policy.tenantAssignableRoles, by: caller, requestID: requestID, db)
        } }
    }

    /// Creates a platform-wide service account (`platform-control`, `security-owner`): only a
    /// platform-wide key may, so no tenant or project administrator can mint the role that
    /// promotes to production.
    public func createPlatformServiceAccount(name: String, role: String, by caller: Caller, requestID: String?) async throws -> ServiceAccount {
        guard caller.tenantId == nil, caller.projectId == nil else {
            throw PlatformError(.iamForbidden, "only a platform-wide key creates platform-wide service accounts")
        }
        return try await conflictAsIAM("an account named \"\(name)\" already exists platform-wide") { try await store.transaction { db in
            let existing = try await db.select().column("id").from("iam_principals").where("tenant_id", .is, SQLLiteral.null)
                .where("kind", .equal, "service_account").where("name", .equal, name).where("deleted_at", .is, SQLLiteral.null).first()
            guard existing == nil else { throw PlatformError(.storeConflict, "platform-wide account \(name) exists") }
            return try await createAccount(in: .platform, name: name, role: role, roles: policy.platformAssignableRoles, by: caller,
                                           requestID: requestID, db)
        } }
    }

    /// Service accounts of a project the caller reaches.
    public func serviceAccounts(project reference: String, visibleTo caller: Caller) async throws -> [ServiceAccount] {
        try await store.read { db in
            try await accounts(in: .project(try await requireProject(reference, reachableBy: caller, db)), db)
        }
    }

    /// Tenant-wide service accounts of a tenant the caller reaches with a tenant- or platform-wide key.
    public func tenantServiceAccounts(tenant reference: String, visibleTo caller: Caller) async throws -> [ServiceAccount] {
        try await store.read { db in
            try await accounts(in: .tenant(try await requireTenantWide(reference, reachableBy: caller, db)), db)
        }
    }

    /// Deletes a project service account and revokes its keys.
    public func deleteServiceAccount(project reference: String, id: String, by caller: Caller, requestID: String?) async throws {
        try await changingAccess { db in
            try await deleteAccount(id, in: .project(try await requireProject(reference, reachableBy: caller, db)), by: caller, requestID: requestID, db)
        }
    }

    /// Deletes a tenant-wide service account and revokes its keys.
    public func deleteTenantServiceAccount(tenant reference: String, id: String, by caller: Caller, requestID: String?) async throws {
        try await changingAccess { db in
            try await deleteAccount(id, in: .tenant(try await requireTenantWide(reference, reachableBy: caller, db)), by: caller, requestID: requestID, db)
        }
    }

    /// Where a service account works: one project, a whole tenant, or the whole platform.
    enum AccountReach {
        case project(Project)
        case tenant(Tenant)
        /// Platform-wide (no tenant): platform control and platform security owners.
        case platform

        var kind: String {
            switch self {
            case .project: "project"
            case .tenant: "tenant"
            case .platform: "platform"
            }
        }

        var id: String {
            switch self {
            case .project(let project): project.id
            case .tenant(let tenant): tenant.id
            case .platform: ""
            }
        }

        var tenantID: String? {
            switch self {
            case .project(let project): project.tenantId
            case .tenant(let tenant): tenant.id
            case .platform: nil
            }
        }

        var projectID: String? {
            if case .project(let project) = self { return project.id }
            return nil
        }
    }

    /// Inserts the principal and its membership. The role's scopes must all be on the
    /// caller's key: nobody grants more than they hold.
    func createAccount(in reach: AccountReach, name: String, role: String, roles: Set<String>, by caller: Caller,
                       requestID: String?, _ db: any SQLDatabase) async throws -> ServiceAccount {
        try Self.validateName(name)
        guard roles.contains(role) else {
            throw PlatformError(.iamInvalidRequest, "role \"\(role)\" cannot be given to a \(reach.kind) service account; use one of \(roles.sorted().joined(separator: ", "))")
        }
        let granted = scopes.scopes(ofRole: role)
        guard granted.isSubset(of: Set(caller.scopes)) else {
            throw PlatformError(.iamScopeNotHeld, "role \(role) carries scopes your key does not: \(granted.subtracting(caller.scopes).sorted().joined(separator: ", "))")
        }
        let account = ServiceAccount(
            id: ULID().description, tenantId: reach.tenantID, projectId: reach.projectID, name: name, role: role,
            createdAt: Timestamp.now().rfc3339)
        try await db.insert(into: "iam_principals").columns("id", "tenant_id", "kind", "name", "created_at")
            .values(SQLBind(account.id), SQLBind(account.tenantId), SQLBind("service_account"), SQLBind(name),
                    SQLBind(account.createdAt)).run()
        try await db.insert(into: "iam_memberships").columns("principal_id", "reach", "reach_id", "role", "created_at")
            .values(SQLBind(account.id), SQLBind(reach.kind), SQLBind(reach.id), SQLBind(role), SQLBind(account.createdAt)).run()
        try await audit.append(
            AuditEvent(actor: PrincipalID(caller.principalId), action: "iam.serviceaccount.create",
                       target: "serviceaccount/\(account.id)", outcome: .success, requestID: requestID,
                       details: ["name": name, "role": role, "reach": reach.kind], project: reach.projectID),
            tenant: reach.tenantID, in: db)
        return account
    }

    func deleteAccount(_ id: String, in reach: AccountReach, by caller: Caller, requestID: String?, _ db: any SQLDatabase) async throws {
        guard try await accounts(in: reach, db).contains(where: { $0.id == id }) else {
            throw PlatformError(.iamNotFound, "no service account \(id) in \(reach.kind) \(reach.id)")
        }
        let now = Timestamp.now().rfc3339
        try await db.update("iam_principals").set("deleted_at", to: SQLBind(now)).where("id", .equal, id).run()
        try await db.update("iam_api_keys").set("revoked_at", to: SQLBind(now))
            .where("principal_id", .equal, id).where("revoked_at", .is, SQLLiteral.null).run()
        try await audit.append(
            AuditEvent(actor: PrincipalID(caller.principalId), action: "iam.serviceaccount.delete",
                       target: "serviceaccount/\(id)", outcome: .success, requestID: requestID, project: reach.projectID),
            tenant: reach.tenantID, in: db)
    }

    // MARK: Reach

    /// The tenant by id or name, or not-found when it is outside the caller's reach.
    func requireTenant(_ reference: String, reachableBy caller: Caller, _ db: any SQLDatabase) async throws -> Tenant {
        let row = try await db.select().columns("*").from("iam_tenants")
            .where("id", .equal, ULID.canonical(reference)?.description ?? reference).orWhere("name", .equal, reference).first()
        guard let row, let tenant = try? Self.tenant(from: row), caller.tenantId == nil || caller.tenantId == tenant.id else {
            throw PlatformError(.iamNotFound, "no tenant \(reference)")
        }
        return tenant
    }

    /// The tenant, reachable only with a tenant- or platform-wide key (project-bound keys
    /// see nothing tenant-wide).
    func requireTenantWide(_ reference: String, reachableBy caller: Caller, _ db: any SQLDatabase) async throws -> Tenant {
        guard caller.projectId == nil else { throw PlatformError(.iamNotFound, "no tenant \(reference)") }
        return try await requireTenant(reference, reachableBy: caller, db)
    }

    func accounts(in reach: AccountReach, _ db: any SQLDatabase) async throws -> [ServiceAccount] {
        try await db.select()
            .column(SQLColumn("id", table: "p")).column(SQLColumn("tenant_id", table: "p"))
            .column(SQLColumn("name", table: "p")).column(SQLColumn("created_at", table: "p"))
            .column(SQLColumn("role", table: "m"))
            .from(SQLAlias(SQLIdentifier("iam_principals"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("iam_memberships"), as: SQLIdentifier("m")), method: SQLJoinMethod.inner,
                  on: SQLColumn("principal_id", table: "m"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("reach", table: "m"), .equal, SQLBind(reach.kind))
            .where(SQLColumn("reach_id", table: "m"), .equal, SQLBind(reach.id))
            .where(SQLColumn("kind", table: "p"), .equal, SQLBind("service_account"))
            .where(SQLColumn("deleted_at", table: "p"), .is, SQLLiteral.null)
            .orderBy(SQLColumn("name", table: "p"))
            .all()
            .map { row in
                ServiceAccount(
                    id: try row.decode(column: "id", as: String.self), tenantId: try row.decode(column: "tenant_id", as: String?.self),
                    projectId: reach.projectID, name: try row.decode(column: "name", as: String.self),
                    role: try row.decode(column: "role", as: String.self), createdAt: try row.decode(column: "created_at", as: String.self))
            }
    }

    static func tenant(from row: any SQLRow) throws -> Tenant {
        Tenant(id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
               createdAt: try row.decode(column: "created_at", as: String.self))
    }

    static func project(from row: any SQLRow) throws -> Project { try IAMAuthorizer.project(from: row) }

    static func validateName(_ name: String) throws {
        // Ending with a letter or digit keeps every tenant and project name a valid OCI
        // name component, so `<tenant>/<project>/<name>` can address any repository.
        guard name.range(of: "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", options: .regularExpression) != nil else {
            throw PlatformError(.iamInvalidRequest, "names are 1–63 lowercase letters, digits or '-', starting and ending with a letter or digit: \"\(name.prefix(80))\"")
        }
        // Routes take a tenant, project or account by id or by name, and ids are ULIDs in
        // either case: a name that reads as a ULID would be ambiguous (in the registry too,
        // where a first component that reads as a ULID is a project id, else a tenant name).
        guard ULID.canonical(name) == nil else {
            throw PlatformError(.iamInvalidRequest, "\"\(name)\" reads as an id (a ULID); choose a name that does not")
        }
    }

    func conflictAsIAM<T>(_ message: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PlatformError where error.code == .storeConflict {
            throw PlatformError(.iamConflict, message)
        }
    }
}

/// The IAM administration contract (implemented by `IAMService`): tenants, projects,
/// service accounts and keys, on top of the ``Authorizer`` part.
///
/// Every call names the ``Caller`` and its request id: the service checks the caller's
/// reach (platform, tenant or project binding) and answers ``ErrorCode/iamNotFound`` for
/// resources outside it, so their existence does not leak. Mutations are audited in the
/// same transaction and fail closed (``ErrorCode/auditUnavailable``) when audit cannot
/// be written.
public protocol IdentityService: Authorizer {
    /// Creates a tenant (platform callers only).
    func createTenant(name: String, by caller: Caller, requestID: String?) async throws -> Tenant
    /// Tenants the caller can see.
    func tenants(visibleTo caller: Caller) async throws -> [Tenant]
    /// Creates a project in a tenant (id or name).
    func createProject(tenant: String, name: String, by caller: Caller, requestID: String?) async throws -> Project
    /// Projects of a tenant (id or name).
    func projects(tenant: String, visibleTo caller: Caller) async throws -> [Project]
    /// Creates a service account with a role in a project (id).
    func createServiceAccount(project: String, name: String, role: String, by caller: Caller, requestID: String?) async throws -> ServiceAccount
    /// Service accounts of a project.
    func serviceAccounts(project: String, visibleTo caller: Caller) async throws -> [ServiceAccount]
    /// Deletes a service account and revokes its keys.
    func deleteServiceAccount(project: String, id: String, by caller: Caller, requestID: String?) async throws
    /// Creates a tenant-wide service account (keys bound to the tenant, not a project).
    func createTenantServiceAccount(tenant: String, name: String, role: String, by caller: Caller, requestID: String?) async throws -> ServiceAccount
    /// Creates a platform-wide service account (`platform-control`, `security-owner`); a
    /// platform-wide caller only, else ``ErrorCode/iamForbidden``.
    func createPlatformServiceAccount(name: String, role: String, by caller: Caller, requestID: String?) async throws -> ServiceAccount
    /// Tenant-wide service accounts of a tenant (id or name).
    func tenantServiceAccounts(tenant: String, visibleTo caller: Caller) async throws -> [ServiceAccount]
    /// Deletes a tenant-wide service account and revokes its keys.
    func deleteTenantServiceAccount(tenant: String, id: String, by caller: Caller, requestID: String?) async throws
    /// Issues a key to a service account.
    func createKey(_ request: KeyRequest, by caller: Caller, requestID: String?) async throws -> IssuedKey
    /// Keys the caller can see.
    func keys(visibleTo caller: Caller) async throws -> [APIKeyInfo]
    /// Issues a replacement and lets the old key live at most `overlapSeconds` more.
    func rotateKey(id: String, overlapSeconds: Int64, by caller: Caller, requestID: String?) async throws -> IssuedKey
    /// Revokes a key now.
    func revokeKey(id: String, by caller: Caller, requestID: String?) async throws -> APIKeyInfo
}

/// Read access to the audit log (implemented by `AuditService`).
public protocol AuditReading: Sendable {
    /// Records visible to the caller, oldest first.
    func records(action: String?, since: String?, afterSequence: Int64?, limit: Int, visibleTo caller: Caller) async throws -> [AuditRecord]
    /// Records visible to the caller that match `filter`, in its order (newest first pages by
    /// ``AuditRecordFilter/beforeSequence``, the position of an ``AuditCursor``).
    func records(matching filter: AuditRecordFilter, visibleTo caller: Caller) async throws -> [AuditRecord]
    /// The whole log as `AuditExport` JSON, for offline verification.
    func exportJSON(by caller: Caller, requestID: String?) async throws -> [UInt8]
    /// The newest signed checkpoint (signed over the head if the log grew), `nil` for an empty log.
    func latestCheckpoint() async throws -> AuditCheckpointInfo?
    /// The RFC 6962 consistency proof between the log's first `from` and first `to` records.
    func consistencyProof(from: Int64, to: Int64) async throws -> AuditConsistencyProof
}

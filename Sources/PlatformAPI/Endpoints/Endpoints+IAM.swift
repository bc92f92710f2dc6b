import HTTPTypes
import PlatformContracts

extension Endpoints {
    /// Account ids and names under a tenant.
    public typealias TenantAccount = TenantAccountPath
    /// A service account of a project.
    public typealias ProjectAccount = ProjectItemPath<ProjectItems.Account>

    public static let whoami = Endpoint<NoPath, NoQuery, NoBody, Caller>(
        .whoami, in: .iam, .get, "/v1/whoami", scope: nil, summary: "The caller: principal, key, binding, scopes.")
    public static let getRegistry = Endpoint<RegistryKindPath, NoQuery, NoBody, JSONValue>(
        .getRegistry, in: .iam, .get, "/v1/registries/\(.kind)", scope: nil, summary: "One platform registry (scope, usage-unit, …) as JSON.")

    public static let createTenant = Endpoint<NoPath, NoQuery, NameRequest, Tenant>(
        .createTenant, in: .iam, .post, "/v1/tenants", scope: "iam:tenant:create", summary: "Create a tenant.", status: .created)
    public static let listTenants = Endpoint<NoPath, NoQuery, NoBody, [Tenant]>(
        .listTenants, in: .iam, .get, "/v1/tenants", scope: "iam:tenant:read", summary: "List tenants.")

    public static let createProject = Endpoint<TenantPath, NoQuery, NameRequest, Project>(
        .createProject, in: .iam, .post, "/v1/tenants/\(.tenant)/projects", scope: "iam:project:create", summary: "Create a project.",
        status: .created)
    public static let listProjects = Endpoint<TenantPath, NoQuery, NoBody, [Project]>(
        .listProjects, in: .iam, .get, "/v1/tenants/\(.tenant)/projects", scope: "iam:project:read", summary: "List a tenant's projects.")

    public static let createPlatformServiceAccount = Endpoint<NoPath, NoQuery, ServiceAccountRequest, ServiceAccount>(
        .createPlatformServiceAccount, in: .iam, .post, "/v1/serviceaccounts", scope: "iam:serviceaccount:create",
        summary: "Create a platform-wide service account (platform-control, security-owner); platform keys only.", status: .created)
    public static let createTenantServiceAccount = Endpoint<TenantPath, NoQuery, ServiceAccountRequest, ServiceAccount>(
        .createTenantServiceAccount, in: .iam, .post, "/v1/tenants/\(.tenant)/serviceaccounts", scope: "iam:serviceaccount:create",
        summary: "Create a tenant-wide service account.", status: .created)
    public static let listTenantServiceAccounts = Endpoint<TenantPath, NoQuery, NoBody, [ServiceAccount]>(
        .listTenantServiceAccounts, in: .iam, .get, "/v1/tenants/\(.tenant)/serviceaccounts", scope: "iam:serviceaccount:read",
        summary: "List tenant-wide service accounts.")
    public static let deleteTenantServiceAccount = Endpoint<TenantAccount, NoQuery, NoBody, NoContent>(
        .deleteTenantServiceAccount, in: .iam, .delete, "/v1/tenants/\(.tenant)/serviceaccounts/\(.account)", scope: "iam:serviceaccount:delete",
        summary: "Delete a tenant-wide service account and revoke its keys.")

    public static let createServiceAccount = Endpoint<ProjectPath, NoQuery, ServiceAccountRequest, ServiceAccount>(
        .createServiceAccount, in: .iam, .post, "/v1/projects/\(.project)/serviceaccounts", scope: "iam:serviceaccount:create",
        summary: "Create a service account.", status: .created)
    public static let listServiceAccounts = Endpoint<ProjectPath, NoQuery, NoBody, [ServiceAccount]>(
        .listServiceAccounts, in: .iam, .get, "/v1/projects/\(.project)/serviceaccounts", scope: "iam:serviceaccount:read",
        summary: "List service accounts.")
    public static let deleteServiceAccount = Endpoint<ProjectAccount, NoQuery, NoBody, NoContent>(
        .deleteServiceAccount, in: .iam, .delete, "/v1/projects/\(.project)/serviceaccounts/\(.account)", scope: "iam:serviceaccount:delete",
        summary: "Delete a service account and revoke its keys.")

    public static let createKey = Endpoint<NoPath, NoQuery, KeyRequest, IssuedKey>(
        .createKey, in: .iam, .post, "/v1/keys", scope: "iam:key:create", summary: "Issue an API key (shown once).", status: .created)
    public static let listKeys = Endpoint<NoPath, NoQuery, NoBody, [APIKeyInfo]>(
        .listKeys, in: .iam, .get, "/v1/keys", scope: "iam:key:read", summary: "List API keys.")
    public static let rotateKey = Endpoint<KeyPath, NoQuery, RotateKeyRequest, IssuedKey>(
        .rotateKey, in: .iam, .post, "/v1/keys/\(.key)/rotate", scope: "iam:key:rotate", summary: "Rotate a key with a bounded overlap.",
        status: .created)
    public static let revokeKey = Endpoint<KeyPath, NoQuery, NoBody, APIKeyInfo>(
        .revokeKey, in: .iam, .post, "/v1/keys/\(.key)/revoke", scope: "iam:key:revoke", summary: "Revoke a key now.")
}

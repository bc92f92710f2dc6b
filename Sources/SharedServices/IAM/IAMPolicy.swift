/// Limits the IAM service enforces.
public struct IAMPolicy: Sendable {
    /// The longest lifetime a key may have.
    public var maximumKeyLifetime: Int64
    /// The shortest lifetime a key may have.
    public var minimumKeyLifetime: Int64
    /// The longest an old key may keep working after rotation.
    public var maximumRotationOverlap: Int64
    /// Roles a project service account may be given.
    public var assignableRoles: Set<String>
    /// Roles a tenant-wide service account may be given.
    public var tenantAssignableRoles: Set<String>
    /// Roles a platform-wide service account may be given (created with a platform-wide key
    /// only): promotion to production and release security review sit outside every tenant.
    public var platformAssignableRoles: Set<String> = ["platform-control", "security-owner"]

    /// The defaults: keys live 1 minute to 90 days; rotation overlap at most 7 days. A
    /// product's service account (`usage-reporter`) reports usage of one project or a tenant.
    public static let standard = IAMPolicy(
        maximumKeyLifetime: 90 * 86_400, minimumKeyLifetime: 60, maximumRotationOverlap: 7 * 86_400,
        assignableRoles: ["project-admin", "developer", "viewer", "usage-reporter", "security-owner"],
        tenantAssignableRoles: ["tenant-admin", "developer", "viewer", "usage-reporter", "security-owner"])
}

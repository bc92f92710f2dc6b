/// A named parameter of an endpoint's path. The set is closed: a path can only name these,
/// and each typed path value (``EndpointPath``) says which it carries.
public enum PathParameter: String, Sendable, CaseIterable, Hashable {
    /// A tenant id (ULID) or name.
    case tenant
    /// A project id (ULID) or `tenant/project` name.
    case project
    /// A service account id.
    case account
    /// An app name.
    case app
    /// An API key id, or a signing key id under a project.
    case key
    /// A content digest, `sha256:…`.
    case digest
    /// An instance id.
    case instance
    /// A connect session id.
    case session
    /// A registry kind (`scope`, `usage-unit`, …).
    case kind
    /// A webhook endpoint id.
    case webhook
    /// An outbox event id.
    case event
    /// A policy key (`quota.concurrent_instances`).
    case policy
    /// A feature flag key (`connect.ssh`).
    case flag
    /// A department name inside a tenant.
    case department
    /// A billing period, a calendar month in UTC (`2026-12`).
    case period
    /// A release id under a project.
    case release
    /// A status component id (`database`, `adapter:local`).
    case component
    /// An incident id.
    case incident
    /// A maintenance window id.
    case window
    /// A persistent volume's name under a project.
    case volume
    /// A secret's name under a project.
    case secret

    /// What the OpenAPI document says about the parameter.
    public var summary: String {
        switch self {
        case .tenant: "Tenant id (ULID) or name."
        case .project: "Project id (ULID, any case) or name as `tenant/project` (percent-encode the slash as %2F)."
        case .account: "Service account id."
        case .app: "App name."
        case .key: "Key id."
        case .digest: "Content digest, `sha256:<hex>`."
        case .instance: "Instance id."
        case .session: "Connect session id."
        case .kind: "Registry kind."
        case .webhook: "Webhook endpoint id."
        case .event: "Outbox event id (ULID)."
        case .policy: "Policy key from the policy registry (`quota.concurrent_instances`)."
        case .flag: "Feature flag key from the policy registry (`connect.ssh`)."
        case .department: "Department name (lowercase), unique in its tenant."
        case .period: "Billing period: a calendar month in UTC written `YYYY-MM`."
        case .release: "Release id (ULID)."
        case .component: "Status component id (`database`, `blob-store`, `adapter:local`, `module:artifacts`)."
        case .incident: "Incident id (ULID)."
        case .window: "Maintenance window id (ULID)."
        case .volume: "Volume name, unique in its project (lowercase letters, digits, dashes)."
        case .secret: "Secret name, unique in its project (lowercase letters, digits, dashes)."
        }
    }
}

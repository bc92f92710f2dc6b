/// The areas of the `/v1` API: the OpenAPI document's tags, so a generated SDK groups its
/// functions by area (`platform_client.api.instances`).
public enum APIArea: String, Sendable, CaseIterable {
    case iam, catalog, artifacts, instances, connect, audit, notifications, policy, usage, billing, releases, status, secrets

    /// One line for the document's tag list.
    public var summary: String {
        switch self {
        case .iam: "Identity and access: tenants, projects, service accounts, API keys, platform registries."
        case .catalog: "The app catalog: registered app versions."
        case .artifacts: "Artifacts, their trust states, and the signing keys a project trusts."
        case .instances: "Launched instances, their events, logs and usage; GPU nodes."
        case .connect: "Connect sessions to running instances."
        case .audit: "The signed, append-only audit log."
        case .notifications: "The caller's notification feed and preferences, project webhook endpoints, and the outbox's dead letters."
        case .policy: "Policies, plans, departments and feature flags: resolved values with their provenance and snapshot."
        case .usage: "Metered usage: batches of usage events from products (idempotent by source and id) and usage summaries."
        case .billing: "Balances, monthly statements, promotional credit, budgets, journal entries and the ledger's invariant check."
        case .releases: "Release candidates: evidence bundles (in-toto statements in DSSE), approvals, the six release gates, signed decisions and promotion."
        case .secrets: "Project secrets: write-only values under envelope encryption, delivered to instances as tmpfs files; master-key rotation."
        case .status: "Operator status: components and their history, incidents, maintenance windows and release readiness (the public view is `/status`)."
        }
    }
}

extension Operation {
    /// The operation's area (its OpenAPI tag), as its endpoint declares it.
    public var area: APIArea { endpoint.area }
}

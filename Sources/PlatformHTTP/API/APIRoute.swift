import HTTPTypes

/// One route of the `/v1` API and the scope it requires (`nil`: any authenticated caller).
/// The table is the single source for registration, the authorization tests and, later,
/// the OpenAPI document and the portal.
public struct APIRoute: Sendable, Hashable, CustomStringConvertible {
    /// HTTP method.
    public let method: HTTPRequest.Method
    /// Path with `:name` parameters, e.g. `/v1/tenants/:tenant/projects`.
    public let path: String
    /// The scope the caller's key must carry and its principal still hold.
    public let scope: String?
    /// One line on what it does.
    public let summary: String

    /// `METHOD path`.
    public var description: String { "\(method) \(path)" }
}

/// Every `/v1` route.
public enum PlatformAPI {
    /// The route table.
    public static let routes: [APIRoute] = [
        APIRoute(method: .get, path: "/v1/whoami", scope: nil, summary: "The caller: principal, key, binding, scopes."),
        APIRoute(method: .get, path: "/v1/registries/:kind", scope: nil, summary: "One platform registry (scope, usage-unit, …) as JSON."),
        APIRoute(method: .post, path: "/v1/tenants", scope: "iam:tenant:create", summary: "Create a tenant."),
        APIRoute(method: .get, path: "/v1/tenants", scope: "iam:tenant:read", summary: "List tenants."),
        APIRoute(method: .post, path: "/v1/tenants/:tenant/projects", scope: "iam:project:create", summary: "Create a project."),
        APIRoute(method: .get, path: "/v1/tenants/:tenant/projects", scope: "iam:project:read", summary: "List a tenant's projects."),
        APIRoute(method: .post, path: "/v1/tenants/:tenant/serviceaccounts", scope: "iam:serviceaccount:create", summary: "Create a tenant-wide service account."),
        APIRoute(method: .get, path: "/v1/tenants/:tenant/serviceaccounts", scope: "iam:serviceaccount:read", summary: "List tenant-wide service accounts."),
        APIRoute(method: .delete, path: "/v1/tenants/:tenant/serviceaccounts/:account", scope: "iam:serviceaccount:delete", summary: "Delete a tenant-wide service account and revoke its keys."),
        APIRoute(method: .post, path: "/v1/projects/:project/serviceaccounts", scope: "iam:serviceaccount:create", summary: "Create a service account."),
        APIRoute(method: .get, path: "/v1/projects/:project/serviceaccounts", scope: "iam:serviceaccount:read", summary: "List service accounts."),
        APIRoute(method: .delete, path: "/v1/projects/:project/serviceaccounts/:account", scope: "iam:serviceaccount:delete", summary: "Delete a service account and revoke its keys."),
        APIRoute(method: .post, path: "/v1/projects/:project/apps", scope: "apps:catalog:register", summary: "Register an app version (the server re-validates the manifest)."),
        APIRoute(method: .get, path: "/v1/projects/:project/apps", scope: "apps:catalog:read", summary: "List a project's registered app versions."),
        APIRoute(method: .get, path: "/v1/projects/:project/apps/:app", scope: "apps:catalog:read", summary: "The registered versions of one app."),
        APIRoute(method: .post, path: "/v1/keys", scope: "iam:key:create", summary: "Issue an API key (shown once)."),
        APIRoute(method: .get, path: "/v1/keys", scope: "iam:key:read", summary: "List API keys."),
        APIRoute(method: .post, path: "/v1/keys/:key/rotate", scope: "iam:key:rotate", summary: "Rotate a key with a bounded overlap."),
        APIRoute(method: .post, path: "/v1/keys/:key/revoke", scope: "iam:key:revoke", summary: "Revoke a key now."),
        APIRoute(method: .get, path: "/v1/audit/records", scope: "audit:log:read", summary: "List audit records."),
        APIRoute(method: .get, path: "/v1/audit/export", scope: "audit:log:export", summary: "Export the audit log for offline verification."),
        APIRoute(method: .get, path: "/v1/audit/checkpoint", scope: "audit:log:read", summary: "The newest signed checkpoint of the audit log (C2SP signed note, size, root) and the server's verifier key."),
        APIRoute(method: .get, path: "/v1/audit/consistency", scope: "audit:log:read", summary: "RFC 6962 consistency proof between the log's first `from` and first `to` records, for monitors that remember a checkpoint."),
        APIRoute(method: .post, path: "/v1/projects/:project/signingkeys", scope: "artifacts:signingkey:manage", summary: "Register a signing public key (PEM ECDSA P-256) the project trusts."),
        APIRoute(method: .get, path: "/v1/projects/:project/signingkeys", scope: "artifacts:signingkey:read", summary: "List the project's signing keys (active, retired, revoked)."),
        APIRoute(method: .post, path: "/v1/projects/:project/signingkeys/:key/rotate", scope: "artifacts:signingkey:manage", summary: "Register a successor key and retire this one."),
        APIRoute(method: .post, path: "/v1/projects/:project/signingkeys/:key/revoke", scope: "artifacts:signingkey:manage", summary: "Revoke a signing key: nothing it signed counts any more."),
        APIRoute(method: .get, path: "/v1/projects/:project/artifacts", scope: "artifacts:repository:pull", summary: "List the project's artifacts and their trust states."),
        APIRoute(method: .get, path: "/v1/projects/:project/artifacts/:digest", scope: "artifacts:repository:pull", summary: "Trust state, signatures, provenance, evidence and gates of one digest."),
        APIRoute(method: .get, path: "/v1/nodes", scope: "apps:node:read", summary: "GPU nodes, their devices (index, UUID, model, memory) and which instance holds each."),
        APIRoute(method: .post, path: "/v1/projects/:project/instances", scope: "apps:instance:launch", summary: "Launch an app: admission (trust, quotas, placement) then `accepted`; the instance starts in the background."),
        APIRoute(method: .get, path: "/v1/projects/:project/instances", scope: "apps:instance:read", summary: "List the project's instances, newest first."),
        APIRoute(method: .get, path: "/v1/projects/:project/instances/:instance", scope: "apps:instance:read", summary: "One instance: phase, reason, node, GPUs, endpoints."),
        APIRoute(method: .get, path: "/v1/projects/:project/instances/:instance/events", scope: "apps:instance:read", summary: "Phase events after `after` (or Last-Event-ID); Server-Sent Events with Accept: text/event-stream."),
        APIRoute(method: .get, path: "/v1/projects/:project/instances/:instance/logs", scope: "apps:instance:read", summary: "Log output from `offset`, with the next offset."),
        APIRoute(method: .get, path: "/v1/projects/:project/instances/:instance/usage", scope: "apps:instance:read", summary: "What metering recorded for the instance: totals per usage unit over its recorded intervals."),
        APIRoute(method: .post, path: "/v1/projects/:project/instances/:instance/stop", scope: "apps:instance:launch", summary: "Stop an instance (SIGTERM or scancel, then kill after the grace period)."),
        APIRoute(method: .delete, path: "/v1/projects/:project/instances/:instance", scope: "apps:instance:launch", summary: "Delete a terminal instance and its runtime traces."),
        APIRoute(method: .post, path: "/v1/projects/:project/instances/:instance/connect", scope: "apps:instance:connect", summary: "Open a connect session to one of the app's connect actions (web URL, tunnel token, SSH certificate); secrets are shown once."),
        APIRoute(method: .get, path: "/v1/projects/:project/connect-sessions", scope: "apps:instance:read", summary: "List connect sessions (optionally `instance=`), newest first, without secrets."),
        APIRoute(method: .post, path: "/v1/projects/:project/connect-sessions/:session/refresh", scope: "apps:instance:connect", summary: "Extend a live session from now (at most the policy's TTL); SSH sessions may get a new certificate."),
        APIRoute(method: .delete, path: "/v1/projects/:project/connect-sessions/:session", scope: "apps:instance:connect", summary: "Revoke a session now; its tunnels and WebSockets close."),
        APIRoute(method: .post, path: "/v1/projects/:project/artifacts/:digest/promote", scope: "artifacts:trust:promote", summary: "Move an artifact to a trust state if its gate is met; 409 lists what is missing."),
    ]
}

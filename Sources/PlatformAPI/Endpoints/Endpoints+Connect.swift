import HTTPTypes
import PlatformContracts

extension Endpoints {
    /// A connect session of a project.
    public typealias SessionItem = ProjectItemPath<ProjectItems.Session>

    public static let connectInstance = Endpoint<InstanceItem, NoQuery, ConnectRequest, ConnectSessionRecord>(
        .connectInstance, in: .connect, .post, "/v1/projects/\(.project)/instances/\(.instance)/connect", scope: "apps:instance:connect",
        summary: "Open a connect session to one of the app's connect actions (web URL, tunnel token, SSH certificate); secrets are shown once.",
        status: .created)
    public static let listConnectSessions = Endpoint<ProjectPath, ConnectSessionsQuery, NoBody, [ConnectSessionRecord]>(
        .listConnectSessions, in: .connect, .get, "/v1/projects/\(.project)/connect-sessions", scope: "apps:instance:read",
        summary: "List connect sessions (optionally `instance=`), newest first, without secrets.")
    public static let refreshConnectSession = Endpoint<SessionItem, NoQuery, ConnectRefreshRequest, ConnectSessionRecord>(
        .refreshConnectSession, in: .connect, .post, "/v1/projects/\(.project)/connect-sessions/\(.session)/refresh", scope: "apps:instance:connect",
        summary: "Extend a live session from now (at most the policy's TTL); SSH sessions may get a new certificate.")
    public static let revokeConnectSession = Endpoint<SessionItem, NoQuery, NoBody, ConnectSessionRecord>(
        .revokeConnectSession, in: .connect, .delete, "/v1/projects/\(.project)/connect-sessions/\(.session)", scope: "apps:instance:connect",
        summary: "Revoke a session now; its tunnels and WebSockets close.")
}

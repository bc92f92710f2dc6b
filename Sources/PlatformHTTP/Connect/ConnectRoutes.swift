import AppPlatform
import PlatformAPI
import PlatformContracts

/// Handlers of the connect-session endpoints: open, list, refresh, revoke.
extension V1Routes {
    func connectInstance(_ input: OfItem<ProjectItems.Instance, ConnectRequest>, _ context: PlatformRequestContext,
                         _ caller: Caller) async throws -> Reply<ConnectSessionRecord> {
        .value(try await connect.open(
            project: try context.requireProject(), instance: input.path.item, input.body, by: caller, grants: try context.requireGrants(),
            requestID: context.requestID))
    }

    func listConnectSessions(_ input: EndpointInput<ProjectPath, ConnectSessionsQuery, NoBody>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<[ConnectSessionRecord]> {
        .value(try await connect.list(project: try context.requireProject(), instance: input.query.instance))
    }

    /// An empty body refreshes with the defaults (see the binding's `emptyBody`).
    func refreshConnectSession(_ input: OfItem<ProjectItems.Session, ConnectRefreshRequest>, _ context: PlatformRequestContext,
                               _ caller: Caller) async throws -> Reply<ConnectSessionRecord> {
        .value(try await connect.refresh(
            project: try context.requireProject(), session: input.path.item, input.body, by: caller, requestID: context.requestID))
    }

    func revokeConnectSession(_ input: OfItem<ProjectItems.Session, NoBody>, _ context: PlatformRequestContext,
                              _ caller: Caller) async throws -> Reply<ConnectSessionRecord> {
        .value(try await connect.revoke(
            project: try context.requireProject(), session: input.path.item, by: caller, grants: try context.requireGrants(),
            requestID: context.requestID))
    }
}

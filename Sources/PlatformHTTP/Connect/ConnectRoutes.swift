import AppPlatform
import Foundation
import HTTPTypes
import Hummingbird
import PlatformContracts

/// Handlers of the connect-session routes: open, list, refresh, revoke.
enum ConnectHandlers {
    static func make(connect: ConnectService, route: (HTTPRequest.Method, String) -> APIRoute) -> [APIRoute: SecuredRouter.Handler] {
        [
            route(.post, "/v1/projects/:project/instances/:instance/connect"): { request, context, caller in
                let project = try context.requireProject(), instance = try context.parameters.require("instance")
                let body = try await V1Handlers.decode(ConnectRequest.self, request)
                return JSONResponse.make(
                    try await connect.open(project: project, instance: instance, body, by: caller, grants: try context.requireGrants(),
                                           requestID: context.requestID),
                    status: .created)
            },
            route(.get, "/v1/projects/:project/connect-sessions"): { request, context, _ in
                JSONResponse.make(try await connect.list(
                    project: try context.requireProject(), instance: request.uri.queryParameters["instance"].map(String.init)))
            },
            route(.post, "/v1/projects/:project/connect-sessions/:session/refresh"): { request, context, caller in
                let body = try await V1Handlers.decodeIfPresent(ConnectRefreshRequest.self, request) ?? ConnectRefreshRequest()
                return JSONResponse.make(try await connect.refresh(
                    project: try context.requireProject(), session: try context.parameters.require("session"), body,
                    by: caller, requestID: context.requestID))
            },
            route(.delete, "/v1/projects/:project/connect-sessions/:session"): { _, context, caller in
                JSONResponse.make(try await connect.revoke(
                    project: try context.requireProject(), session: try context.parameters.require("session"),
                    by: caller, grants: try context.requireGrants(), requestID: context.requestID))
            },
        ]
    }
}

import AppPlatform
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformContracts

/// Handlers of the instance routes: launch, list, show, events (JSON or Server-Sent
/// Events), logs, stop and delete.
enum InstanceHandlers {
    static func make(instances: InstanceService, route: (HTTPRequest.Method, String) -> APIRoute) -> [APIRoute: SecuredRouter.Handler] {
        [
            route(.post, "/v1/projects/:project/instances"): { request, context, caller in
                // A project out of reach is 404 whatever the body says.
                try await instances.requireProject(try context.parameters.require("project"), visibleTo: caller)
                let body = try await V1Handlers.decode(LaunchRequest.self, request)
                return JSONResponse.make(
                    try await instances.launch(project: try context.parameters.require("project"), body, by: caller, requestID: context.requestID),
                    status: .created)
            },
            route(.get, "/v1/projects/:project/instances"): { _, context, caller in
                JSONResponse.make(try await instances.list(project: try context.parameters.require("project"), visibleTo: caller))
            },
            route(.get, "/v1/projects/:project/instances/:instance"): { _, context, caller in
                JSONResponse.make(try await instances.get(
                    project: try context.parameters.require("project"), id: try context.parameters.require("instance"), visibleTo: caller))
            },
            route(.get, "/v1/projects/:project/instances/:instance/events"): { request, context, caller in
                let project = try context.parameters.require("project"), id = try context.parameters.require("instance")
                let resumed = try request.headers[HTTPField.Name("Last-Event-ID")!].map { text throws(PlatformError) in
                    try QueryNumber.parse(text, name: "Last-Event-ID", in: 0...Int64(Int32.max))
                }
                let after = Int(try QueryNumber.optional(request, "after", in: 0...Int64(Int32.max)) ?? resumed ?? 0)
                let first = try await instances.events(project: project, id: id, after: after, visibleTo: caller)
                guard request.headers[.accept]?.contains("text/event-stream") == true else { return JSONResponse.make(first) }
                return eventStream(instances: instances, project: project, id: id, caller: caller, first: first, after: after)
            },
            route(.get, "/v1/projects/:project/instances/:instance/logs"): { request, context, caller in
                let offset = try QueryNumber.value(request, "offset", in: 0...QueryNumber.maxLogOffset, default: 0)
                return JSONResponse.make(try await instances.logs(
                    project: try context.parameters.require("project"), id: try context.parameters.require("instance"), from: offset,
                    visibleTo: caller))
            },
            route(.get, "/v1/projects/:project/instances/:instance/usage"): { _, context, caller in
                JSONResponse.make(try await instances.usage(
                    project: try context.parameters.require("project"), id: try context.parameters.require("instance"), visibleTo: caller))
            },
            route(.post, "/v1/projects/:project/instances/:instance/stop"): { _, context, caller in
                JSONResponse.make(try await instances.stop(
                    project: try context.parameters.require("project"), id: try context.parameters.require("instance"), by: caller,
                    requestID: context.requestID))
            },
            route(.delete, "/v1/projects/:project/instances/:instance"): { _, context, caller in
                try await instances.delete(
                    project: try context.parameters.require("project"), id: try context.parameters.require("instance"), by: caller,
                    requestID: context.requestID)
                return Response(status: .noContent)
            },
        ]
    }

    /// `text/event-stream`: one `phase` event per phase change (`id` = seq, so a client
    /// resumes with `Last-Event-ID`), a comment every 15 s, closed after a terminal phase.
    static func eventStream(instances: InstanceService, project: String, id: String, caller: Caller, first: [InstanceEvent],
                            after: Int) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var pending = first
            var last = after
            var quiet = 0
            while true {
                for event in pending {
                    let data = String(decoding: try encoder.encode(event), as: UTF8.self)
                    try await writer.write(ByteBuffer(string: "id: \(event.seq)\nevent: phase\ndata: \(data)\n\n"))
                    last = event.seq
                    if ["stopped", "succeeded", "failed"].contains(event.phase) {
                        try await writer.finish(nil)
                        return
                    }
                }
                if pending.isEmpty {
                    // Resumed at or past the end: nothing more will come.
                    if quiet == 0, (try? await instances.get(project: project, id: id, visibleTo: caller).isTerminal) == true {
                        try await writer.finish(nil)
                        return
                    }
                    quiet += 1
                    if quiet % 60 == 0 { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                } else {
                    quiet = 0
                }
                try await Task.sleep(for: .milliseconds(250))
                pending = try await instances.events(project: project, id: id, after: last, visibleTo: caller)
            }
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}

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
                // The router resolved the project before the body is read: one out of reach is 404 whatever the body says.
                let project = try context.requireProject()
                let body = try await V1Handlers.decode(LaunchRequest.self, request)
                let launched = try await instances.launch(in: project, body, by: caller, grants: try context.requireGrants(),
                                                          requestID: context.requestID)
                return JSONResponse.make(launched, status: .created)
            },
            route(.get, "/v1/projects/:project/instances"): { _, context, _ in
                JSONResponse.make(try await instances.list(in: try context.requireProject()))
            },
            route(.get, "/v1/projects/:project/instances/:instance"): { _, context, _ in
                JSONResponse.make(try await instances.get(in: try context.requireProject(), id: try context.parameters.require("instance")))
            },
            route(.get, "/v1/projects/:project/instances/:instance/events"): { request, context, _ in
                let project = try context.requireProject(), id = try context.parameters.require("instance")
                let resumed = try request.headers[HTTPField.Name("Last-Event-ID")!].map { text throws(PlatformError) in
                    try QueryNumber.parse(text, name: "Last-Event-ID", in: 0...Int64(Int32.max))
                }
                let after = Int(try QueryNumber.optional(request, "after", in: 0...Int64(Int32.max)) ?? resumed ?? 0)
                let first = try await instances.events(in: project, id: id, after: after)
                guard request.headers[.accept]?.contains("text/event-stream") == true else { return JSONResponse.make(first) }
                return eventStream(instances: instances, project: project, id: id, first: first, after: after)
            },
            route(.get, "/v1/projects/:project/instances/:instance/logs"): { request, context, _ in
                let offset = try QueryNumber.value(request, "offset", in: 0...QueryNumber.maxLogOffset, default: 0)
                return JSONResponse.make(try await instances.logs(
                    in: try context.requireProject(), id: try context.parameters.require("instance"), from: offset))
            },
            route(.get, "/v1/projects/:project/instances/:instance/usage"): { _, context, _ in
                JSONResponse.make(try await instances.usage(in: try context.requireProject(), id: try context.parameters.require("instance")))
            },
            route(.post, "/v1/projects/:project/instances/:instance/stop"): { _, context, caller in
                JSONResponse.make(try await instances.stop(
                    in: try context.requireProject(), id: try context.parameters.require("instance"), by: caller, requestID: context.requestID))
            },
            route(.delete, "/v1/projects/:project/instances/:instance"): { _, context, caller in
                try await instances.delete(
                    in: try context.requireProject(), id: try context.parameters.require("instance"), by: caller, requestID: context.requestID)
                return Response(status: .noContent)
            },
        ]
    }

    /// `text/event-stream`: one `phase` event per phase change (`id` = seq, so a client
    /// resumes with `Last-Event-ID`), a comment every 15 s, closed after a terminal phase.
    static func eventStream(instances: InstanceService, project: Project, id: String, first: [InstanceEvent], after: Int) -> Response {
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
                    if event.phase.isTerminal {
                        try await writer.finish(nil)
                        return
                    }
                }
                if pending.isEmpty {
                    // Resumed at or past the end: nothing more will come.
                    if quiet == 0, (try? await instances.get(in: project, id: id).isTerminal) == true {
                        try await writer.finish(nil)
                        return
                    }
                    quiet += 1
                    if quiet % 60 == 0 { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                } else {
                    quiet = 0
                }
                try await Task.sleep(for: .milliseconds(250))
                pending = try await instances.events(in: project, id: id, after: last)
            }
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}

import AppPlatform
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformAPI
import PlatformContracts

/// Handlers of the instance endpoints: launch, list, show, events (JSON or Server-Sent
/// Events), logs, usage, stop and delete.
extension V1Routes {
    func launchInstance(_ input: OfProject<LaunchRequest>, _ context: PlatformRequestContext,
                        _ caller: Caller) async throws -> Reply<InstanceRecord> {
        // The router resolved the project before the body was read: one out of reach is 404 whatever the body says.
        .value(try await instances.launch(in: try context.requireProject(), input.body, by: caller, grants: try context.requireGrants(),
                                          requestID: context.requestID))
    }

    /// The whole list, or with `limit` one page and, when it is full, a `Link` to the next.
    func listInstances(_ input: EndpointInput<ProjectPath, InstancesQuery, NoBody>, _ context: PlatformRequestContext,
                       _ caller: Caller) async throws -> Reply<[InstanceRecord]> {
        let query = input.query
        let page = try await instances.list(in: try context.requireProject(), limit: query.limit, before: query.before,
                                            live: query.state.map { $0 == .live })
        guard let next = query.next(after: page) else { return .value(page) }
        var response = JSONResponse.make(page)
        response.headers[Self.link] = "<\(Endpoints.listInstances.path(input.path))\(Self.queryString(next.items))>; rel=\"next\""
        return .response(response)
    }

    func getInstance(_ input: OfItem<ProjectItems.Instance, NoBody>, _ context: PlatformRequestContext,
                     _ caller: Caller) async throws -> Reply<InstanceRecord> {
        .value(try await instances.get(in: try context.requireProject(), id: input.path.item))
    }

    /// JSON, or Server-Sent Events with `Accept: text/event-stream`; `after` wins over `Last-Event-ID`.
    func listInstanceEvents(_ input: EndpointInput<Endpoints.InstanceItem, EventsQuery, NoBody>, _ context: PlatformRequestContext,
                            _ caller: Caller) async throws -> Reply<[InstanceEvent]> {
        let project = try context.requireProject(), id = input.path.item
        let resumed = try input.headers[Self.lastEventID].map { text throws(PlatformError) in
            Int(try QueryField.number(text, name: "Last-Event-ID", in: 0...Int64(Int32.max)))
        }
        let after = input.query.after ?? resumed ?? 0
        let first = try await instances.events(in: project, id: id, after: after)
        guard input.headers[.accept]?.contains(InstanceEventStream.contentType) == true else { return .value(first) }
        return .response(Self.eventStream(instances: instances, project: project, id: id, first: first, after: after))
    }

    func readInstanceLogs(_ input: EndpointInput<Endpoints.InstanceItem, LogsQuery, NoBody>, _ context: PlatformRequestContext,
                          _ caller: Caller) async throws -> Reply<InstanceLogChunk> {
        .value(try await instances.logs(in: try context.requireProject(), id: input.path.item, from: input.query.offset))
    }

    func getInstanceUsage(_ input: OfItem<ProjectItems.Instance, NoBody>, _ context: PlatformRequestContext,
                          _ caller: Caller) async throws -> Reply<InstanceUsage> {
        .value(try await instances.usage(in: try context.requireProject(), id: input.path.item))
    }

    func stopInstance(_ input: OfItem<ProjectItems.Instance, NoBody>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<InstanceRecord> {
        .value(try await instances.stop(in: try context.requireProject(), id: input.path.item, by: caller, requestID: context.requestID))
    }

    func deleteInstance(_ input: OfItem<ProjectItems.Instance, NoBody>, _ context: PlatformRequestContext,
                        _ caller: Caller) async throws -> Reply<NoContent> {
        try await instances.delete(in: try context.requireProject(), id: input.path.item, by: caller, requestID: context.requestID)
        return .value(NoContent())
    }

    /// `Last-Event-ID`: the `id` of the last event a resuming client saw.
    static let lastEventID = HTTPField.Name(InstanceEventStream.lastEventIDHeader)!

    /// `text/event-stream`: one `phase` event per phase change (`id` = seq, so a client
    /// resumes with `Last-Event-ID`), a comment every 15 s, closed after a terminal phase.
    static func eventStream(instances: InstanceService, project: Project, id: String, first: [InstanceEvent], after: Int) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = InstanceEventStream.contentType
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
                    try await writer.write(ByteBuffer(string: InstanceEventStream.frame(seq: event.seq, json: data)))
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
                    // Four 250 ms polls a second: a comment every keepAliveSeconds of quiet.
                    if quiet % (InstanceEventStream.keepAliveSeconds * 4) == 0 {
                        try await writer.write(ByteBuffer(string: InstanceEventStream.keepAliveFrame))
                    }
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

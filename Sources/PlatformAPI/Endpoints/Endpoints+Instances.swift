import HTTPTypes
import PlatformContracts

extension Endpoints {
    /// An instance of a project.
    public typealias InstanceItem = ProjectItemPath<ProjectItems.Instance>

    public static let listNodes = Endpoint<NoPath, NoQuery, NoBody, [NodeUsage]>(
        .listNodes, in: .instances, .get, "/v1/nodes", scope: "apps:node:read",
        summary: "GPU nodes, their devices (index, UUID, model, memory) and which instance holds each.")
    public static let launchInstance = Endpoint<ProjectPath, NoQuery, LaunchRequest, InstanceRecord>(
        .launchInstance, in: .instances, .post, "/v1/projects/\(.project)/instances", scope: "apps:instance:launch",
        summary: "Launch an app: admission (trust, quotas, placement) then `accepted`; the instance starts in the background.",
        status: .created)
    public static let listInstances = Endpoint<ProjectPath, NoQuery, NoBody, [InstanceRecord]>(
        .listInstances, in: .instances, .get, "/v1/projects/\(.project)/instances", scope: "apps:instance:read",
        summary: "List the project's instances, newest first.")
    public static let getInstance = Endpoint<InstanceItem, NoQuery, NoBody, InstanceRecord>(
        .getInstance, in: .instances, .get, "/v1/projects/\(.project)/instances/\(.instance)", scope: "apps:instance:read",
        summary: "One instance: phase, reason, node, GPUs, endpoints.")
    public static let listInstanceEvents = Endpoint<InstanceItem, EventsQuery, NoBody, [InstanceEvent]>(
        .listInstanceEvents, in: .instances, .get, "/v1/projects/\(.project)/instances/\(.instance)/events", scope: "apps:instance:read",
        summary: "Phase events after `after` (or Last-Event-ID); Server-Sent Events with Accept: text/event-stream.",
        eventStream: true)
    public static let readInstanceLogs = Endpoint<InstanceItem, LogsQuery, NoBody, InstanceLogChunk>(
        .readInstanceLogs, in: .instances, .get, "/v1/projects/\(.project)/instances/\(.instance)/logs", scope: "apps:instance:read",
        summary: "Log output from `offset`, with the next offset.")
    public static let getInstanceUsage = Endpoint<InstanceItem, NoQuery, NoBody, InstanceUsage>(
        .getInstanceUsage, in: .instances, .get, "/v1/projects/\(.project)/instances/\(.instance)/usage", scope: "apps:instance:read",
        summary: "What metering recorded for the instance: totals per usage unit over its recorded intervals.")
    public static let stopInstance = Endpoint<InstanceItem, NoQuery, NoBody, InstanceRecord>(
        .stopInstance, in: .instances, .post, "/v1/projects/\(.project)/instances/\(.instance)/stop", scope: "apps:instance:launch",
        summary: "Stop an instance (SIGTERM or scancel, then kill after the grace period).")
    public static let deleteInstance = Endpoint<InstanceItem, NoQuery, NoBody, NoContent>(
        .deleteInstance, in: .instances, .delete, "/v1/projects/\(.project)/instances/\(.instance)", scope: "apps:instance:launch",
        summary: "Delete a terminal instance and its runtime traces.")
}

import HTTPTypes
import PlatformContracts

extension Endpoints {
    /// An instance of a project.
    public typealias InstanceItem = ProjectItemPath<ProjectItems.Instance>

    public static let listNodes = Endpoint<NoPath, NoQuery, NoBody, [NodeUsage]>(
        .listNodes, in: .instances, .get, "/v1/nodes", scope: "apps:node:read",
        summary: "The nodes of every runtime adapter (this host, each Slurm node): state, CPUs, memory, GPU groups with what is allocated, and the devices the platform places with which instance holds each.")
    public static let launchInstance = Endpoint<ProjectPath, NoQuery, LaunchRequest, InstanceRecord>(
        .launchInstance, in: .instances, .post, "/v1/projects/\(.project)/instances", scope: "apps:instance:launch",
        summary: "Launch an app: admission (trust, quotas, placement) then `accepted`; the instance starts in the background.",
        status: .created)
    public static let listInstances = Endpoint<ProjectPath, InstancesQuery, NoBody, [InstanceRecord]>(
        .listInstances, in: .instances, .get, "/v1/projects/\(.project)/instances", scope: "apps:instance:read",
        summary: "List the project's instances, newest first; with `limit`, one page, and a full page's `Link` header names the next (`before`).")
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
    public static let execInstance = Endpoint<InstanceItem, NoQuery, ExecRequest, ExecResponse>(
        .execInstance, in: .instances, .post, "/v1/projects/\(.project)/instances/\(.instance)/exec", scope: "apps:instance:exec",
        summary: "Run a command inside a running instance (its namespaces, its user) and answer its exit status and output; audited.")

    /// A persistent volume of a project.
    public typealias VolumeItem = ProjectItemPath<ProjectItems.Volume>

    public static let createVolume = Endpoint<ProjectPath, NoQuery, VolumeRequest, VolumeRecord>(
        .createVolume, in: .instances, .post, "/v1/projects/\(.project)/volumes", scope: "apps:volume:manage",
        summary: "Create a persistent volume (counted against quota.volume_bytes); instances mount it by name.",
        status: .created)
    public static let listVolumes = Endpoint<ProjectPath, NoQuery, NoBody, [VolumeRecord]>(
        .listVolumes, in: .instances, .get, "/v1/projects/\(.project)/volumes", scope: "apps:volume:read",
        summary: "The project's persistent volumes: size, use, and the live instances mounting each.")
    public static let deleteVolume = Endpoint<VolumeItem, NoQuery, NoBody, NoContent>(
        .deleteVolume, in: .instances, .delete, "/v1/projects/\(.project)/volumes/\(.volume)", scope: "apps:volume:manage",
        summary: "Delete a persistent volume and its data (refused while a live instance mounts it).")
}

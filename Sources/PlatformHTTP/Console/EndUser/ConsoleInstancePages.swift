import Foundation
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// The instance list (one project, or every reachable one) and the instance page.
enum ConsoleInstancePages {
    /// The rows a list page shows: the newest first, then `?before=` pages of this many.
    static let pageSize = 50

    /// `table#instances-table`: a row per instance (`tr[data-instance]`), its phase in
    /// `[data-phase-of]`. A project page asks the API for one page of that project only
    /// (`limit`, `before`), so another tenant's project answers the API's `iam.not_found`,
    /// and a full page links to the older ones. The all-projects page shows the newest
    /// ``pageSize`` across the reachable projects (one page from each), each project's own
    /// page holding the rest.
    static func list(_ page: ConsoleRequest, project: String?) async throws -> Response {
        let reachable = try await ConsoleProjects.reachable(page)
        var model: [String: Any] = ["allProjects": project == nil]
        var listed: [(project: ConsoleProjects.Entry, instance: InstanceRecord)] = []
        if let project {
            let entry = reachable.first { $0.id == project } ?? ConsoleProjects.Entry(id: project, name: project, tenantId: "", tenantName: "")
            let query = InstancesQuery(limit: pageSize, before: page.query.text("before"))
            let instances = try await page.api.send(Endpoints.listInstances, path: .init(project: project), query: query)
            listed = instances.map { (entry, $0) }
            if let next = query.next(after: instances), let before = next.before {
                model["older"] = "\(ConsoleEndUser.instancesPath(project))?before=\(before)"
            }
            if query.before != nil { model["newest"] = ConsoleEndUser.instancesPath(project) }
            model["project"] = project
            model["catalog"] = "/console/projects/\(project)/catalog"
        } else {
            for entry in reachable {
                guard let instances = try await ConsoleEndUser.optional({
                    try await page.api.send(Endpoints.listInstances, path: .init(project: entry.id), query: InstancesQuery(limit: pageSize))
                }).value else { continue }
                listed += instances.map { (entry, $0) }
                if instances.count >= pageSize { model["more"] = true }
            }
            listed.sort { ($0.instance.createdAt, $0.instance.id) > ($1.instance.createdAt, $1.instance.id) }
            if listed.count > pageSize { model["more"] = true }
            listed = Array(listed.prefix(pageSize))
            model["projects"] = reachable.map { ["name": $0.path, "href": ConsoleEndUser.instancesPath($0.id)] }
        }
        let rows = listed.map { entry, instance in
            ["id": instance.id, "app": instance.app, "version": instance.version, "phase": instance.phase.name,
             "project": entry.path, "href": ConsoleEndUser.instancePath(entry.id, instance.id), "node": instance.node ?? "",
             "created": ConsoleEndUser.time(instance.createdAt), "message": instance.message ?? ""] as [String: Any]
        }
        let title = project.map { id in "Instances of \(reachable.first { $0.id == id }?.path ?? id)" } ?? "Instances"
        model["rows"] = rows
        model["hasRows"] = !rows.isEmpty
        model["heading"] = title
        return try page.render(.userInstances, title: title, model)
    }

    /// The instance: phase (live through `…/events`), facts, endpoints and their connect
    /// actions, stop, the log's latest output, usage and phase history.
    static func show(_ page: ConsoleRequest, project: String, id: String) async throws -> Response {
        let path = Endpoints.InstanceItem(project: project, id)
        let instance = try await page.api.send(Endpoints.getInstance, path: path)
        let events = try await page.api.send(Endpoints.listInstanceEvents, path: path, query: EventsQuery())
        let logs = try await ConsoleEndUser.optional { try await latestLog(page, path: path) }
        let usage = try await ConsoleEndUser.optional { try await page.api.send(Endpoints.getInstanceUsage, path: path) }
        let manifest = await manifest(page, project: project, instance: instance)
        let here = ConsoleEndUser.instancePath(project, id)
        var model: [String: Any] = [
            "id": instance.id, "app": instance.app, "version": instance.version, "phase": instance.phase.name,
            "mode": instance.mode.rawValue,
            "adapter": instance.adapter, "environment": instance.environment, "node": instance.node ?? "not placed yet",
            "gpus": instance.gpus.isEmpty ? (instance.gpuCount == 0 ? "none" : "\(instance.gpuCount) asked")
                : instance.gpus.map(String.init).joined(separator: ", "),
            "launchedBy": instance.launchedBy, "created": ConsoleEndUser.time(instance.createdAt),
            "updated": ConsoleEndUser.time(instance.updatedAt), "image": instance.image, "restarts": instance.restartCount,
            "here": here, "events": here + "/events", "stopAction": here + "/stop", "project": project,
            "instancesHref": ConsoleEndUser.instancesPath(project),
            "live": !instance.isTerminal, "canStop": !instance.isTerminal && page.allows("apps:instance:launch"),
            "history": events.map { ["seq": $0.seq, "phase": $0.phase.name, "message": $0.message ?? "", "at": ConsoleEndUser.time($0.at)] as [String: Any] },
        ]
        if let flag = instance.trustFlag { model["trustFlag"] = flag }
        if let reason = instance.reason { model["reason"] = reason }
        if let message = instance.message, !message.isEmpty { model["message"] = message }
        model["endpoints"] = instance.endpoints.map { endpoint in
            ["name": endpoint.name, "port": endpoint.port, "url": endpoint.url ?? ""] as [String: Any]
        }
        model["hasEndpoints"] = !instance.endpoints.isEmpty
        let connect = connectActions(manifest: manifest, instance: instance, project: project, here: here)
        model["connect"] = connect
        model["hasConnect"] = !connect.isEmpty
        if let chunk = logs.value {
            model["logs"] = chunk.text.isEmpty ? "(no output yet)" : chunk.text
        } else {
            model["logsProblem"] = logs.problem ?? ""
        }
        if let usage = usage.value {
            model["usage"] = usage.totals.map { ["unit": $0.unit, "quantity": $0.quantity, "intervals": $0.intervals] as [String: Any] }
            model["hasUsage"] = !usage.totals.isEmpty
            model["recordedThrough"] = usage.recordedThrough.map { "recorded through \(ConsoleEndUser.time($0.description))" }
                ?? "no interval recorded yet"
        } else {
            model["usageProblem"] = usage.problem ?? ""
        }
        return try page.render(.userInstance, title: "\(instance.app) \(instance.version) · \(instance.id)", model)
    }

    /// One row per connect action of the instance's manifest: web actions a form that opens
    /// a session and goes through the proxy, the others the exact `appctl connect` command
    /// (a tunnel or an SSH certificate needs a program on the user's machine). Without the
    /// manifest, one command per endpoint (`--endpoint`).
    static func connectActions(manifest: ConsoleAppManifest?, instance: InstanceRecord, project: String, here: String) -> [[String: Any]] {
        let base = "appctl connect \(instance.id)"
        guard let actions = manifest?.connect else {
            return instance.endpoints.map { endpoint in
                ["name": endpoint.name, "type": "unknown", "endpoint": endpoint.name,
                 "command": "\(base) --endpoint \(endpoint.name) --project \(project)", "commandId": "command-\(endpoint.name)"]
            }
        }
        return actions.map { action in
            var row: [String: Any] = ["name": action.name, "type": action.type, "endpoint": action.endpoint]
            switch action.type {
            case "web":
                row["web"] = true
                row["formId"] = "connect-\(action.name)"
                row["action"] = "\(here)/connect/\(action.name)"
                row["ready"] = instance.phase.name == "ready" || instance.phase.name == "running"
            default:
                row["commandId"] = "command-\(action.name)"
                row["command"] = command(base: "\(base) \(action.name) --project \(project)", type: action.type)
            }
            return row
        }
    }

    /// What `appctl connect` takes for each action type (as the portal's app pages write it):
    /// a port forward listens on a free local port, SSH certifies a key and writes an ssh
    /// config, an API action prints its session's token.
    static func command(base: String, type: String) -> String {
        switch type {
        case "port-forward": base + " --local-port 0"
        case "ssh": base + " --ssh"
        default: base
        }
    }

    /// The instance's registered manifest (its project's, else the platform catalog's source
    /// project's when the caller reaches it); `nil` when neither can be read.
    static func manifest(_ page: ConsoleRequest, project: String, instance: InstanceRecord) async -> ConsoleAppManifest? {
        if let own = try? await page.api.send(Endpoints.listAppVersions, path: .init(project: project, instance.app)),
           let version = own.first(where: { $0.version == instance.version }) {
            return try? ConsoleAppManifest.parse(version.manifest, file: "\(instance.app)@\(instance.version)")
        }
        return try? await ConsoleLaunchPage.catalogSource(page, app: instance.app, version: instance.version).manifest
    }

    /// The log's last 64 KiB read so far: chunks from the start until the API has no more
    /// (at most 64 reads, so a page never waits on a huge log).
    static func latestLog(_ page: ConsoleRequest, path: Endpoints.InstanceItem) async throws -> InstanceLogChunk {
        var offset: Int64 = 0
        var text = ""
        var finished = false
        for _ in 0..<64 {
            let chunk = try await page.api.send(Endpoints.readInstanceLogs, path: path, query: LogsQuery(offset: offset))
            finished = chunk.finished
            guard !chunk.text.isEmpty, chunk.nextOffset > offset else { break }
            text += chunk.text
            if text.utf8.count > 65_536 { text = String(text.suffix(32_768)) }
            offset = chunk.nextOffset
        }
        return InstanceLogChunk(text: text, nextOffset: offset, finished: finished)
    }
}

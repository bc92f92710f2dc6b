import Foundation
import PlatformContracts
import RuntimeKit
import SQLKit

/// One `apps_instances` row, decoded.
struct InstanceRow: Sendable {
    var id: String
    var projectId: String
    var tenantId: String
    var app: String
    var version: String
    var adapter: String
    var environment: String
    var mode: InstanceMode
    var phase: InstancePhase
    var message: String?
    var image: String
    var spec: LaunchSpec
    var handle: RuntimeHandle?
    var readiness: ReadinessProbe?
    var node: String?
    var host: String?
    var gpus: [Int]
    var gpuCount: Int
    var endpoints: [String: Int]
    var launchedBy: String
    var createdAt: String
    var updatedAt: String
    var runningSinceMs: Int64?
    var finishedAtMs: Int64?
    var readyDeadlineMs: Int64?
    var meteredThrough: Int
    /// Why a stop was requested (`nil`: none was); decides how the stop ends.
    var stopCause: StopCause?
    /// The policy snapshot the instance was admitted under (`nil` for instances admitted
    /// before policy snapshots): a long-lived resource keeps the snapshot it was created with.
    var policySnapshot: String?
    /// The usage units it is metered in (`nil`: admitted before instances stored them).
    var metering: InstanceMetering?
    /// Why it is flagged as running an untrusted artifact (`nil`: not flagged); written only by
    /// ``InstanceRepository/flagUntrusted(_:reason:audit:)``.
    var trustFlag: String?
    /// The request id of the launch (`nil`: launched before instances stored it): every later
    /// lifecycle audit record carries it as `details.correlationId`, so the launch's request id
    /// (a release smoke's correlation id) finds ready, stop and failure too.
    var launchRequestID: String?
    /// Restart policy, crash-loop limit, backoff cap and startup/liveness probes, decided at
    /// admission (`nil`: admitted before instances stored them — never restarted, no probes).
    var lifecycle: InstanceLifecycle?
    /// How often the supervisor restarted it since the count last reset (a run of 10 minutes
    /// resets it); more than the crash-loop limit ends it `failed(crash-loop)`.
    var restartCount: Int = 0
    /// The exit status of its last ended run (`nil`: none ended yet, or it ended without one).
    var lastExitCode: Int32?
    /// When a scheduled restart is due (clock ms; `nil`: none scheduled): the poll starts the
    /// workload again once it has passed, so waiting adds no sleeper on the clock.
    var restartDueMs: Int64?
    /// The replica supervising it and the fencing token of that claim (`nil`: admitted before
    /// leases, or never claimed); written only by admission and the lease operations
    /// (``InstanceRepository``'s `claim` and `renew`), never by ``update(in:)``.
    var lease: InstanceLease?
    /// Until when (epoch ms) the lease runs, as admission wrote it or the row was read.
    var leaseExpiresMs: Int64?

    var stopRequested: Bool { stopCause != nil }
    var reason: String? { phase.failureReason?.rawValue }
    var isTerminal: Bool { phase.isTerminal }

    var record: InstanceRecord {
        InstanceRecord(
            id: id, projectId: projectId, app: app, version: version, adapter: adapter, environment: environment, mode: mode,
            phase: phase, message: message, image: image, node: node, gpus: gpus, gpuCount: gpuCount,
            endpoints: endpoints.sorted { $0.key < $1.key }.map { name, port in
                InstanceRecord.Endpoint(name: name, port: port, url: host.map { "http://\($0):\(port)" })
            },
            launchedBy: launchedBy, createdAt: createdAt, updatedAt: updatedAt, policySnapshot: policySnapshot, trustFlag: trustFlag,
            restartCount: restartCount, lastExitCode: lastExitCode)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func json<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text, text != "null" else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    init(id: String, projectId: String, tenantId: String, app: String, version: String, adapter: String, environment: String,
         mode: InstanceMode, image: String, spec: LaunchSpec, readiness: ReadinessProbe?, gpuCount: Int, endpoints: [String: Int],
         launchedBy: String, now: String) {
        self.id = id
        self.projectId = projectId
        self.tenantId = tenantId
        self.app = app
        self.version = version
        self.adapter = adapter
        self.environment = environment
        self.mode = mode
        self.phase = .accepted
        self.image = image
        self.spec = spec
        self.readiness = readiness
        self.gpus = []
        self.gpuCount = gpuCount
        self.endpoints = endpoints
        self.launchedBy = launchedBy
        self.createdAt = now
        self.updatedAt = now
        self.meteredThrough = 0
        self.stopCause = nil
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        projectId = try row.decode(column: "project_id", as: String.self)
        tenantId = try row.decode(column: "tenant_id", as: String.self)
        app = try row.decode(column: "app", as: String.self)
        version = try row.decode(column: "version", as: String.self)
        adapter = try row.decode(column: "adapter", as: String.self)
        environment = try row.decode(column: "environment", as: String.self)
        let modeName = try row.decode(column: "mode", as: String.self)
        guard let mode = InstanceMode(rawValue: modeName) else {
            throw PlatformError(.storeQueryFailed, "instance \(id) has an unknown mode \(modeName)")
        }
        self.mode = mode
        let phaseName = try row.decode(column: "phase", as: String.self)
        guard let phase = InstancePhase(name: phaseName, reason: try row.decode(column: "reason", as: String?.self)) else {
            throw PlatformError(.storeQueryFailed, "instance \(id) has an unknown phase \(phaseName)")
        }
        self.phase = phase
        message = try row.decode(column: "message", as: String?.self)
        image = try row.decode(column: "image", as: String.self)
        guard let spec = Self.decode(LaunchSpec.self, try row.decode(column: "spec", as: String.self)) else {
            throw PlatformError(.storeQueryFailed, "instance \(id) has an unreadable launch spec")
        }
        self.spec = spec
        handle = Self.decode(RuntimeHandle.self, try row.decode(column: "handle", as: String?.self))
        readiness = Self.decode(ReadinessProbe.self, try row.decode(column: "readiness", as: String?.self))
        node = try row.decode(column: "node", as: String?.self)
        host = try row.decode(column: "host", as: String?.self)
        gpus = Self.decode([Int].self, try row.decode(column: "gpus", as: String.self)) ?? []
        gpuCount = try row.decode(column: "gpu_count", as: Int.self)
        endpoints = Self.decode([String: Int].self, try row.decode(column: "endpoints", as: String.self)) ?? [:]
        launchedBy = try row.decode(column: "launched_by", as: String.self)
        createdAt = try row.decode(column: "created_at", as: String.self)
        updatedAt = try row.decode(column: "updated_at", as: String.self)
        runningSinceMs = try row.decode(column: "running_since_ms", as: Int64?.self)
        finishedAtMs = try row.decode(column: "finished_at_ms", as: Int64?.self)
        readyDeadlineMs = try row.decode(column: "ready_deadline_ms", as: Int64?.self)
        meteredThrough = try row.decode(column: "metered_through", as: Int.self)
        let cause = try row.decode(column: "stop_cause", as: String?.self)
        let requested = try row.decode(column: "stop_requested", as: Int.self) != 0
        stopCause = cause.flatMap(StopCause.init(rawValue:)) ?? (requested ? .requested : nil)
        policySnapshot = try row.decode(column: "policy_snapshot", as: String?.self)
        metering = Self.decode(InstanceMetering.self, try row.decode(column: "metering", as: String?.self))
        trustFlag = try row.decode(column: "trust_flag", as: String?.self)
        launchRequestID = try row.decode(column: "launch_request_id", as: String?.self)
        lifecycle = Self.decode(InstanceLifecycle.self, try row.decode(column: "lifecycle", as: String?.self))
        restartCount = try row.decode(column: "restart_count", as: Int.self)
        lastExitCode = try row.decode(column: "last_exit_code", as: Int?.self).map { Int32(truncatingIfNeeded: $0) }
        restartDueMs = try row.decode(column: "restart_due_ms", as: Int64?.self)
        lease = try row.decode(column: "supervisor", as: String?.self).map {
            InstanceLease(holder: $0, fence: try row.decode(column: "lease_fence", as: Int64.self))
        }
        leaseExpiresMs = try row.decode(column: "lease_expires_ms", as: Int64?.self)
    }

    func insert(into db: any SQLDatabase) async throws {
        try await db.insert(into: "apps_instances")
            .columns("id", "project_id", "tenant_id", "app", "version", "adapter", "environment", "mode", "phase", "reason", "message",
                     "image", "spec", "handle", "readiness", "node", "host", "gpus", "gpu_count", "endpoints", "launched_by",
                     "created_at", "updated_at", "running_since_ms", "finished_at_ms", "ready_deadline_ms", "metered_through",
                     "stop_requested", "stop_cause", "deleted", "policy_snapshot", "metering", "launch_request_id",
                     "lifecycle", "restart_count", "last_exit_code", "restart_due_ms", "supervisor", "lease_fence", "lease_expires_ms")
            .values(SQLBind(id), SQLBind(projectId), SQLBind(tenantId), SQLBind(app), SQLBind(version), SQLBind(adapter),
                    SQLBind(environment), SQLBind(mode.rawValue), SQLBind(phase.name), SQLBind(reason), SQLBind(message), SQLBind(image),
                    SQLBind(Self.json(spec)), SQLBind(handle.map(Self.json)), SQLBind(readiness.map(Self.json)), SQLBind(node),
                    SQLBind(host), SQLBind(Self.json(gpus)), SQLBind(gpuCount), SQLBind(Self.json(endpoints)), SQLBind(launchedBy),
                    SQLBind(createdAt), SQLBind(updatedAt), SQLBind(runningSinceMs), SQLBind(finishedAtMs), SQLBind(readyDeadlineMs),
                    SQLBind(meteredThrough), SQLBind(stopRequested ? 1 : 0), SQLBind(stopCause?.rawValue), SQLBind(0), SQLBind(policySnapshot),
                    SQLBind(metering.map(Self.json)), SQLBind(launchRequestID), SQLBind(lifecycle.map(Self.json)), SQLBind(restartCount),
                    SQLBind(lastExitCode.map(Int.init)), SQLBind(restartDueMs), SQLBind(lease?.holder), SQLBind(lease?.fence ?? 0),
                    SQLBind(leaseExpiresMs))
            .run()
    }

    /// Writes every mutable column but the lease's (see ``lease``) and `stop_request`.
    func update(in db: any SQLDatabase) async throws {
        try await db.update("apps_instances")
            .set("phase", to: SQLBind(phase.name)).set("reason", to: SQLBind(reason)).set("message", to: SQLBind(message))
            .set("handle", to: SQLBind(handle.map(Self.json))).set("node", to: SQLBind(node)).set("host", to: SQLBind(host))
            .set("gpus", to: SQLBind(Self.json(gpus))).set("updated_at", to: SQLBind(updatedAt))
            .set("running_since_ms", to: SQLBind(runningSinceMs)).set("finished_at_ms", to: SQLBind(finishedAtMs))
            .set("ready_deadline_ms", to: SQLBind(readyDeadlineMs)).set("metered_through", to: SQLBind(meteredThrough))
            .set("stop_requested", to: SQLBind(stopRequested ? 1 : 0)).set("stop_cause", to: SQLBind(stopCause?.rawValue))
            .set("restart_count", to: SQLBind(restartCount)).set("last_exit_code", to: SQLBind(lastExitCode.map(Int.init)))
            .set("restart_due_ms", to: SQLBind(restartDueMs))
            .where("id", .equal, id)
            .run()
    }
}

/// Where and how often readiness is probed (`health.readiness` of the manifest).
struct ReadinessProbe: Codable, Sendable, Hashable {
    var endpoint: String
    var port: Int
    var path: String
    var withinMinutes: Int
    /// HTTP `GET path` for http endpoints, a TCP connect for tcp ones (`nil`: http, rows from before).
    var kind: ProbeTarget.Kind?
    /// How long one probe may take (`health.readiness.timeoutSeconds`; `nil`: 1 s).
    var timeoutSeconds: Int?

    /// What one readiness look asks.
    func target(host: String) -> ProbeTarget {
        ProbeTarget(kind: kind ?? .http, host: host, port: port, path: path, timeout: .seconds(max(1, timeoutSeconds ?? 1)))
    }
}

import Logging
import RuntimeKit
import Foundation
import PlatformContracts
import SQLKit

/// What the connect service needs to know of an instance to open a session to it.
public struct ConnectTarget: Sendable {
    /// One connect action of the app's manifest.
    public struct Action: Sendable, Hashable {
        /// Its name.
        public var name: String
        /// `web`, `port-forward`, `ssh` or `api`.
        public var type: String
        /// The endpoint it reaches.
        public var endpoint: String
        /// The manifest's credential lifetime, if it sets one.
        public var credentialTTLSeconds: Int?
        /// Extra scopes the action needs.
        public var scopes: [String]
    }

    /// The instance id.
    public var id: String
    /// Its project.
    public var projectId: String
    /// Its tenant.
    public var tenantId: String
    /// The phase now.
    public var phase: String
    /// Where its endpoints listen (the node's address).
    public var host: String
    /// Host port per endpoint name.
    public var ports: [String: Int]
    /// The manifest's connect actions, in order.
    public var actions: [Action]
    /// The manifest's `access.connectScopes`.
    public var connectScopes: [String]

}

extension InstanceService {
    /// The instance, its address and its app's connect actions.
    /// - Throws: ``ErrorCode/instanceNotFound`` (also for another project's instance).
    public func connectTarget(project reference: String, id: String, visibleTo caller: Caller) async throws -> ConnectTarget {
        let row = try await row(project: reference, id: id, caller: caller)
        // A registered version never changes, so its parsed manifest is kept.
        let key = "\(row.projectId)/\(row.app)@\(row.version)"
        let manifest: LaunchManifest
        if let cached = connectManifests[key] {
            manifest = cached
        } else {
            let versions = try await catalog.versions(project: row.projectId, name: row.app, visibleTo: caller)
            guard let text = versions.first(where: { $0.version == row.version })?.manifest else {
                throw PlatformError(.appNotFound, "\(row.app)@\(row.version) is no longer registered in project \(row.projectId)")
            }
            do {
                manifest = try LaunchManifest.parse(text)
            } catch {
                throw PlatformError(.manifestInvalid, "the manifest of \(row.app)@\(row.version) cannot be read: \(error)")
            }
            connectManifests[key] = manifest
        }
        return ConnectTarget(
            id: row.id, projectId: row.projectId, tenantId: row.tenantId, phase: row.phase, host: row.host ?? "127.0.0.1",
            ports: row.endpoints,
            actions: (manifest.connect ?? []).map {
                .init(name: $0.name, type: $0.type, endpoint: $0.endpoint, credentialTTLSeconds: $0.credentialTTLSeconds, scopes: $0.scopes ?? [])
            },
            connectScopes: manifest.access?.connectScopes ?? [])
    }

    /// Whether an instance may still be connected to (running or ready), from the live copy.
    public func isConnectable(_ id: String) -> Bool {
        guard let row = active[id] else { return false }
        return (row.phase == "running" || row.phase == "ready") && !row.stopRequested
    }

    /// Registers who hears when an instance stops being connectable (stopping or terminal).
    public func onConnectableEnd(_ observer: @escaping @Sendable (String) -> Void) {
        onConnectableEnd = observer
    }

    /// Connect traffic reached the instance: it is not idle.
    public func noteActivity(_ id: String) {
        guard active[id] != nil else { return }
        lastActivityMs[id] = Int64(Timestamp.now().millisecondsSinceEpoch)
    }

    /// Whether `minutes` idle minutes have passed between `last` and `now`. The manifest
    /// schema does not bound `idleStopMinutes`, so the product is checked: a value too large
    /// to count in milliseconds means "never", where `Int64(minutes) * minuteMs` once trapped
    /// the supervisor and with it the server.
    static func idleLongEnough(now: Int64, last: Int64, minutes: Int, minuteMs: Int64) -> Bool {
        let (limit, overflow) = Int64(minutes).multipliedReportingOverflow(by: minuteMs)
        let (elapsed, backwards) = now.subtractingReportingOverflow(last)
        return !overflow && !backwards && elapsed >= limit
    }

    /// Stops every running instance whose app sets `lifecycle.idleStopMinutes` and that saw no
    /// connect activity for that long (counted from when it started running).
    func stopIdleInstances() async {
        let now = Int64(Timestamp.now().millisecondsSinceEpoch)
        let minuteMs = settings.idleMinute.components.seconds * 1000 + settings.idleMinute.components.attoseconds / 1_000_000_000_000_000
        for row in active.values where (row.phase == "running" || row.phase == "ready") && !row.stopRequested {
            guard let minutes = row.spec.idleStopMinutes, minutes > 0, let since = row.runningSinceMs else { continue }
            let last = max(lastActivityMs[row.id] ?? since, since)
            guard Self.idleLongEnough(now: now, last: last, minutes: minutes, minuteMs: minuteMs) else { continue }
            var stopping = row
            stopping.stopRequested = true
            do {
                let moved = try await transition(
                    stopping, to: .stopping, message: "idle: no connect activity for \(minutes) min (lifecycle.idleStopMinutes)",
                    audit: ("apps.instance.stop", nil, nil))
                if moved.handle != nil { reissueStopIfOverdue(moved) }
            } catch {
                logger.error("idle stop not recorded", metadata: ["instance": "\(row.id)", "error": "\(error)"])
            }
        }
    }
}

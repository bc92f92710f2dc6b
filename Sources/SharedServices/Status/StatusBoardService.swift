import Foundation
import Logging
import PlatformContracts
import PlatformStore
import SQLKit

/// Components (fed by the health checks through ``ComponentMonitor``), incidents and
/// maintenance windows, over the `status` tables.
///
/// A component's condition is the worst of its checks, its open incidents and a window in
/// force over it (``ComponentConditions``); every change of it is written to the history in
/// the transaction that caused it (a monitor pass, an incident, a window). Open decision 3:
/// ``publicStatus()`` is customer-safe (names, conditions, incident timelines without
/// authors, active and upcoming windows) and is served without authentication from an
/// in-memory cache; ``operatorStatus()`` adds checks, versions, authors, cancelled windows
/// and release readiness, behind `status:read`.
public struct StatusBoardService: StatusBoard, MaintenanceCalendar {
    let store: SQLStore
    let audit: any TransactionalAuditing
    let policy: any PolicyEvaluator
    let logger: Logger
    let cache: PublicStatusCache
    /// The components the board tracks (the composition root declares them); incidents and
    /// windows may name only these. Empty: any well-formed id (tests).
    public var components: [MonitoredComponent] = []
    /// The server's version on the operator view.
    public var version: String = "unknown"
    /// Release readiness per environment on the operator view; `nil`: none shown.
    public var releases: (any ReleaseManagement)?
    /// How long incidents stay on the views after they are resolved.
    public var resolvedRetention: Duration = .seconds(7 * 86_400)

    /// Creates the board.
    /// - Parameter publicCacheTTL: How old the cached public view may grow before a read
    ///   refreshes it in the background (this replica's own writes invalidate it at once).
    public init(store: SQLStore, audit: any TransactionalAuditing, policy: any PolicyEvaluator, logger: Logger,
                publicCacheTTL: Duration = .seconds(2)) {
        self.store = store
        self.audit = audit
        self.policy = policy
        self.logger = logger
        self.cache = PublicStatusCache(ttl: publicCacheTTL)
    }

    // MARK: Views

    public func publicStatus() async throws -> PublicStatus {
        try await cache.value { [self] in try await loadPublic() }
    }

    public func operatorStatus() async throws -> OperatorStatus {
        let (components, incidents, windows, now) = try await snapshot(cancelled: true)
        var readiness: [EnvironmentReadiness] = []
        if let releases {
            do {
                readiness = try await releases.readiness()
            } catch {
                logger.warning("release readiness unavailable on the status view", metadata: ["error": "\(error)"])
            }
        }
        return OperatorStatus(overall: components.map(\.condition).max() ?? .operational, components: components, incidents: incidents,
                              maintenance: windows, version: version, readiness: readiness, generatedAt: now.rfc3339)
    }

    public func history(component: String, limit: Int) async throws -> [ComponentHistoryEntry] {
        try await store.read { db in try await StatusRows.history(component: component, limit: max(1, min(limit, 1000)), db) }
    }

    public func incidents(includeResolved: Bool) async throws -> [Incident] {
        try await store.read { db in try await StatusRows.incidents(resolvedSince: nil, allResolved: includeResolved, db) }
    }

    public func maintenanceWindows() async throws -> [MaintenanceWindow] {
        try await store.read { db in try await StatusRows.windows(endingAfter: Timestamp.now().rfc3339, cancelled: true, db) }
    }

    /// The customer-safe view, from the store: no checks, versions, authors or cancelled windows.
    func loadPublic() async throws -> PublicStatus {
        let (components, incidents, windows, now) = try await snapshot(cancelled: false)
        return PublicStatus(
            overall: components.map(\.condition).max() ?? .operational,
            components: components.map { ComponentStatus(id: $0.id, kind: $0.kind, name: $0.name, condition: $0.condition, since: $0.since) },
            incidents: incidents.map { incident in
                var safe = incident
                safe.timeline = incident.timeline.map { IncidentUpdate(state: $0.state, message: $0.message, at: $0.at) }
                return safe
            },
            maintenance: windows.map { MaintenanceWindow(id: $0.id, title: $0.title, components: $0.components, startsAt: $0.startsAt,
                                                         endsAt: $0.endsAt, effect: $0.effect) },
            generatedAt: now.rfc3339)
    }

    /// Every component with its condition decided now, open and recently resolved incidents,
    /// and windows that have not ended, in one read.
    func snapshot(cancelled: Bool) async throws -> ([ComponentStatus], [Incident], [MaintenanceWindow], Timestamp) {
        let now = Timestamp.now()
        let cutoff = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch
            - UInt64(max(0, resolvedRetention.components.seconds)) * 1000).rfc3339
        let (stored, incidents, windows) = try await store.read { db in
            (try await StatusRows.components(db), try await StatusRows.incidents(resolvedSince: cutoff, db),
             try await StatusRows.windows(endingAfter: now.rfc3339, cancelled: cancelled, db))
        }
        let live = windows.filter { !$0.cancelled }
        // The declared components only: a module a newer build dropped leaves its row behind, not on the page.
        let ids = components.isEmpty ? stored.keys.sorted() : components.map(\.id)
        let statuses = ids.map { id -> ComponentStatus in
            let declared = components.first { $0.id == id }
            let row = stored[id]
            let health = row?.health ?? .operational
            let (condition, _) = ComponentConditions.effective(component: id, health: health, checks: row?.checks ?? [], incidents: incidents,
                                                               windows: live, now: now)
            return ComponentStatus(
                id: id, kind: declared?.kind ?? row?.kind ?? .module, name: declared?.name ?? row?.name ?? id, condition: condition,
                since: row.map { $0.condition == condition ? $0.since : now.rfc3339 } ?? now.rfc3339,
                version: declared?.version ?? row?.version, checks: row?.checks ?? [])
        }
        return (statuses, incidents, windows, now)
    }

    // MARK: Maintenance calendar

    public func activeWindow(components: [String]) async throws -> MaintenanceWindow? {
        let now = Timestamp.now()
        let windows = try await store.read { db in try await StatusRows.windows(endingAfter: now.rfc3339, cancelled: false, db) }
        return windows.first { window in window.isActive(at: now) && components.contains { window.components.contains($0) } }
    }
}

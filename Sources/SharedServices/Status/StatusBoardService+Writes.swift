import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// Incidents, maintenance windows and monitor observations: each write re-decides the
/// conditions of the components it touches in its own transaction (with a history entry per
/// change), is audited there, and drops the cached public view.
extension StatusBoardService {
    public func openIncident(_ request: IncidentRequest, by caller: Caller, requestID: String?) async throws -> Incident {
        try StatusValidation.text(request.title, field: "title", limit: 200)
        try StatusValidation.text(request.message, field: "message", limit: 4000)
        let affected = try StatusValidation.components(request.components, known: components)
        let now = Timestamp.now().rfc3339
        let incident = Incident(id: ULID().description, title: request.title, impact: request.impact, state: .investigating,
                                components: affected, timeline: [IncidentUpdate(state: .investigating, message: request.message, at: now,
                                                                                author: caller.principalId)],
                                openedAt: now)
        try await store.transaction { db in
            try await db.insert(into: "status_incidents")
                .columns("id", "title", "impact", "state", "components", "opened_by", "opened_at")
                .values(SQLBind(incident.id), SQLBind(incident.title), SQLBind(incident.impact.rawValue), SQLBind(incident.state.rawValue),
                        SQLBind(StatusRows.json(affected)), SQLBind(caller.principalId), SQLBind(now))
                .run()
            try await StatusRows.insertUpdate(incident: incident.id, incident.timeline[0], db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "status.incident.open", target: "incident/\(incident.id)",
                           outcome: .success, requestID: requestID,
                           details: ["title": String(incident.title.prefix(200)), "impact": incident.impact.rawValue,
                                     "components": affected.joined(separator: ",")]),
                tenant: nil, in: db)
            try await recompute(affected, observations: [:], db)
        }
        cache.invalidate()
        return incident
    }

    public func updateIncident(_ id: String, _ update: IncidentUpdateRequest, by caller: Caller, requestID: String?) async throws
        -> Incident
    {
        try StatusValidation.text(update.message, field: "message", limit: 4000)
        let now = Timestamp.now().rfc3339
        let incident = try await store.transaction { db in
            guard let current = try await StatusRows.incidents(resolvedSince: nil, allResolved: true, db).first(where: { $0.id == id }) else {
                throw PlatformError(.statusIncidentNotFound, "no incident \(id)")
            }
            guard current.state != .resolved else {
                throw PlatformError(.statusRequestInvalid, "incident \(id) is resolved; open a new one")
            }
            let entry = IncidentUpdate(state: update.state, message: update.message, at: now, author: caller.principalId)
            try await StatusRows.insertUpdate(incident: id, entry, db)
            var changed = db.update("status_incidents").set("state", to: update.state.rawValue)
            if update.state == .resolved { changed = changed.set("resolved_at", to: now) }
            try await changed.where("id", .equal, id).run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId),
                           action: update.state == .resolved ? "status.incident.resolve" : "status.incident.update",
                           target: "incident/\(id)", outcome: .success, requestID: requestID, details: ["state": update.state.rawValue]),
                tenant: nil, in: db)
            try await recompute(current.components, observations: [:], db)
            var result = current
            result.state = update.state
            result.timeline.append(entry)
            if update.state == .resolved { result.resolvedAt = now }
            return result
        }
        cache.invalidate()
        return incident
    }

    public func scheduleMaintenance(_ request: MaintenanceRequest, by caller: Caller, requestID: String?) async throws
        -> MaintenanceWindow
    {
        try StatusValidation.text(request.title, field: "title", limit: 200)
        let affected = try StatusValidation.components(request.components, known: components)
        let (start, end) = try StatusValidation.period(startsAt: request.startsAt, endsAt: request.endsAt, now: Timestamp.now())
        let window = MaintenanceWindow(id: ULID().description, title: request.title, components: affected, startsAt: start.rfc3339,
                                       endsAt: end.rfc3339, effect: request.effect, createdBy: caller.principalId)
        try await store.transaction { db in
            try await db.insert(into: "status_maintenance")
                .columns("id", "title", "components", "starts_at", "ends_at", "effect", "created_by", "created_at")
                .values(SQLBind(window.id), SQLBind(window.title), SQLBind(StatusRows.json(affected)), SQLBind(window.startsAt),
                        SQLBind(window.endsAt), SQLBind(window.effect?.rawValue), SQLBind(caller.principalId),
                        SQLBind(Timestamp.now().rfc3339))
                .run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "status.maintenance.schedule", target: "maintenance/\(window.id)",
                           outcome: .success, requestID: requestID,
                           details: ["components": affected.joined(separator: ","), "starts_at": window.startsAt, "ends_at": window.endsAt,
                                     "effect": window.effect?.rawValue ?? "policy"]),
                tenant: nil, in: db)
            try await recompute(affected, observations: [:], db)
        }
        cache.invalidate()
        return window
    }

    public func cancelMaintenance(_ id: String, by caller: Caller, requestID: String?) async throws -> MaintenanceWindow {
        let window = try await store.transaction { db in
            guard var window = try await StatusRows.window(id: id, db) else {
                throw PlatformError(.statusMaintenanceNotFound, "no maintenance window \(id)")
            }
            guard !window.cancelled else { return window }
            try await db.update("status_maintenance").set("cancelled_at", to: Timestamp.now().rfc3339).where("id", .equal, id).run()
            window.cancelled = true
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "status.maintenance.cancel", target: "maintenance/\(id)",
                           outcome: .success, requestID: requestID, details: ["components": window.components.joined(separator: ",")]),
                tenant: nil, in: db)
            try await recompute(window.components, observations: [:], db)
            return window
        }
        cache.invalidate()
        return window
    }

    /// One monitor pass: stores each component's health and checks, re-decides every
    /// declared component's condition (so windows that began or ended since show), and
    /// writes a history entry per change. Returns the components whose condition changed.
    @discardableResult
    public func record(_ observations: [ComponentObservation]) async throws -> [String] {
        let byID = Dictionary(observations.map { ($0.component, $0) }) { _, last in last }
        let ids = components.map(\.id) + byID.keys.filter { id in !components.contains { $0.id == id } }.sorted()
        let changed = try await store.transaction { db in try await recompute(ids, observations: byID, db) }
        if !changed.isEmpty { cache.invalidate() }
        return changed
    }

    /// Re-decides `ids`' conditions from their health (new observations or the stored one),
    /// open incidents and windows in force now; writes rows and history entries.
    @discardableResult
    func recompute(_ ids: [String], observations: [String: ComponentObservation], _ db: any SQLDatabase) async throws -> [String] {
        // One recompute at a time across replicas (PostgreSQL; SQLite has one writer anyway):
        // a monitor pass and an incident write must not both insert a component or both log
        // the same change. Taken before the reads, so each sees the other's commit.
        if store.backend == .postgres {
            try await db.raw("SELECT pg_advisory_xact_lock(hashtext('status.components'))").run()
        }
        let now = Timestamp.now()
        let stored = try await StatusRows.components(db)
        let incidents = try await StatusRows.incidents(resolvedSince: nil, db)
        let windows = try await StatusRows.windows(endingAfter: now.rfc3339, cancelled: false, db)
        var changed: [String] = []
        for id in Set(ids).sorted() {
            let declared = components.first { $0.id == id }
            let previous = stored[id]
            let observed = observations[id]
            let health = observed?.health ?? previous?.health ?? .operational
            let checks = observed?.checks ?? previous?.checks ?? []
            let (condition, cause) = ComponentConditions.effective(component: id, health: health, checks: checks, incidents: incidents,
                                                                   windows: windows, now: now)
            let row = StatusRows.Component(
                id: id, kind: declared?.kind ?? previous?.kind ?? StatusValidation.kind(of: id), name: declared?.name ?? previous?.name ?? id,
                condition: condition, health: health,
                since: previous?.condition == condition ? previous?.since ?? now.rfc3339 : now.rfc3339,
                version: declared?.version ?? previous?.version, checks: checks)
            if previous?.condition != condition { changed.append(id) }
            if previous == nil || previous?.condition != condition || previous?.health != health || previous?.checks != checks
                || previous?.version != row.version || previous?.name != row.name {
                try await StatusRows.save(row, previous: previous, cause: cause, now: now.rfc3339, db)
            }
        }
        return changed
    }
}

import Foundation
import PlatformContracts
import SQLKit

/// Reads and writes of the `status` tables, inside a transaction or a read the caller holds.
enum StatusRows {
    /// A stored component row: its effective condition, its health from the checks and when it last changed.
    struct Component: Sendable {
        var id: String
        var kind: ComponentKind
        var name: String
        var condition: ComponentCondition
        var health: ComponentCondition
        var since: String
        var version: String?
        var checks: [String]
    }

    static func components(_ db: any SQLDatabase) async throws -> [String: Component] {
        let rows = try await db.select().columns("*").from("status_components").all()
        var result: [String: Component] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: String.self)
            result[id] = Component(
                id: id, kind: ComponentKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .module,
                name: try row.decode(column: "name", as: String.self),
                condition: ComponentCondition(rawValue: try row.decode(column: "condition", as: String.self)) ?? .operational,
                health: ComponentCondition(rawValue: try row.decode(column: "health", as: String.self)) ?? .operational,
                since: try row.decode(column: "since", as: String.self), version: try row.decode(column: "version", as: String?.self),
                checks: strings(try row.decode(column: "checks", as: String.self)))
        }
        return result
    }

    /// Writes a component's row (insert or update) and, when its effective condition changed
    /// (or it is new), a history entry.
    static func save(_ component: Component, previous: Component?, cause: String, now: String, _ db: any SQLDatabase) async throws {
        if previous == nil {
            try await db.insert(into: "status_components")
                .columns("id", "kind", "name", "condition", "health", "since", "version", "checks", "updated_at")
                .values(SQLBind(component.id), SQLBind(component.kind.rawValue), SQLBind(component.name),
                        SQLBind(component.condition.rawValue), SQLBind(component.health.rawValue), SQLBind(component.since),
                        SQLBind(component.version), SQLBind(json(component.checks)), SQLBind(now))
                .run()
        } else {
            try await db.update("status_components")
                .set("kind", to: component.kind.rawValue).set("name", to: component.name)
                .set("condition", to: component.condition.rawValue).set("health", to: component.health.rawValue)
                .set("since", to: component.since).set("version", to: component.version).set("checks", to: json(component.checks))
                .set("updated_at", to: now)
                .where("id", .equal, component.id).run()
        }
        if previous?.condition != component.condition {
            try await db.insert(into: "status_component_history").columns("id", "component", "condition", "at", "cause")
                .values(SQLBind(ULID().description), SQLBind(component.id), SQLBind(component.condition.rawValue), SQLBind(now),
                        SQLBind(String(cause.prefix(500))))
                .run()
        }
    }

    static func history(component: String, limit: Int, _ db: any SQLDatabase) async throws -> [ComponentHistoryEntry] {
        try await db.select().columns("*").from("status_component_history").where("component", .equal, component)
            .orderBy("at", .descending).orderBy("id", .descending).limit(limit).all().map { row in
                ComponentHistoryEntry(
                    component: try row.decode(column: "component", as: String.self),
                    condition: ComponentCondition(rawValue: try row.decode(column: "condition", as: String.self)) ?? .operational,
                    at: try row.decode(column: "at", as: String.self), cause: try row.decode(column: "cause", as: String.self))
            }
    }

    /// Incidents still open, and (with `resolvedSince`) those resolved since then; with a nil
    /// cutoff and `allResolved`, every incident. Timelines oldest first.
    static func incidents(resolvedSince: String?, allResolved: Bool = false, _ db: any SQLDatabase) async throws -> [Incident] {
        var query = db.select().columns("*").from("status_incidents")
        if !allResolved {
            if let resolvedSince {
                query = query.where { group in
                    group.where("resolved_at", .is, SQLLiteral.null).orWhere("resolved_at", .greaterThanOrEqual, resolvedSince)
                }
            } else {
                query = query.where("resolved_at", .is, SQLLiteral.null)
            }
        }
        var incidents = try await query.orderBy("opened_at", .descending).orderBy("id", .descending).all().map { row in
            Incident(id: try row.decode(column: "id", as: String.self), title: try row.decode(column: "title", as: String.self),
                     impact: IncidentImpact(rawValue: try row.decode(column: "impact", as: String.self)) ?? .minor,
                     state: IncidentState(rawValue: try row.decode(column: "state", as: String.self)) ?? .investigating,
                     components: strings(try row.decode(column: "components", as: String.self)), timeline: [],
                     openedAt: try row.decode(column: "opened_at", as: String.self),
                     resolvedAt: try row.decode(column: "resolved_at", as: String?.self))
        }
        guard !incidents.isEmpty else { return [] }
        let updates = try await db.select().columns("*").from("status_incident_updates")
            .where("incident_id", .in, incidents.map(\.id)).orderBy("at").orderBy("id").all()
        var byIncident: [String: [IncidentUpdate]] = [:]
        for row in updates {
            byIncident[try row.decode(column: "incident_id", as: String.self), default: []].append(IncidentUpdate(
                state: IncidentState(rawValue: try row.decode(column: "state", as: String.self)) ?? .investigating,
                message: try row.decode(column: "message", as: String.self), at: try row.decode(column: "at", as: String.self),
                author: try row.decode(column: "author", as: String.self)))
        }
        for index in incidents.indices { incidents[index].timeline = byIncident[incidents[index].id] ?? [] }
        // Open first, then resolved, each newest first.
        return incidents.filter { $0.state != .resolved } + incidents.filter { $0.state == .resolved }
    }

    static func insertUpdate(incident: String, _ update: IncidentUpdate, _ db: any SQLDatabase) async throws {
        try await db.insert(into: "status_incident_updates").columns("id", "incident_id", "state", "message", "author", "at")
            .values(SQLBind(ULID().description), SQLBind(incident), SQLBind(update.state.rawValue), SQLBind(update.message),
                    SQLBind(update.author ?? ""), SQLBind(update.at))
            .run()
    }

    /// Windows that have not ended by `now` (with `cancelled`, cancelled ones too), soonest first.
    static func windows(endingAfter now: String, cancelled: Bool, _ db: any SQLDatabase) async throws -> [MaintenanceWindow] {
        var query = db.select().columns("*").from("status_maintenance").where("ends_at", .greaterThan, now)
        if !cancelled { query = query.where("cancelled_at", .is, SQLLiteral.null) }
        return try await query.orderBy("starts_at").orderBy("id").all().map(window(from:))
    }

    static func window(id: String, _ db: any SQLDatabase) async throws -> MaintenanceWindow? {
        try await db.select().columns("*").from("status_maintenance").where("id", .equal, id).first().map(window(from:))
    }

    static func window(from row: any SQLRow) throws -> MaintenanceWindow {
        MaintenanceWindow(
            id: try row.decode(column: "id", as: String.self), title: try row.decode(column: "title", as: String.self),
            components: strings(try row.decode(column: "components", as: String.self)),
            startsAt: try row.decode(column: "starts_at", as: String.self), endsAt: try row.decode(column: "ends_at", as: String.self),
            effect: try row.decode(column: "effect", as: String?.self).flatMap(MaintenanceEffect.init(rawValue:)),
            createdBy: try row.decode(column: "created_by", as: String.self),
            cancelled: try row.decode(column: "cancelled_at", as: String?.self) != nil)
    }

    static func json(_ values: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(values), as: UTF8.self)) ?? "[]"
    }

    static func strings(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `/console/platform/status` (components, incidents: open, update, resolve) and
/// `/console/platform/maintenance` (windows: list, schedule, cancel). The operator view of
/// `GET /v1/status` feeds both; an incident opened here shows on the public `/status` at once,
/// because it is the same `POST /v1/status/incidents` the CLI makes.
enum OperatorStatusPages {
    static func register(on pages: ConsolePages) {
        pages.get("platform/status") { page in
            let status = try await page.api.send(Endpoints.getStatus)
            return try page.render(.platformStatus, title: "Status and incidents", model(status, page: page))
        }
        pages.post("platform/status/incidents") { page in
            let request = IncidentRequest(
                title: page.form.text("title") ?? "", impact: IncidentImpact(rawValue: page.form["impact"] ?? "") ?? .minor,
                components: page.form.all("components"), message: page.form.text("message") ?? "")
            let incident = try await page.api.send(Endpoints.openIncident, body: request)
            return page.redirect(to: "/console/platform/status#incident-\(incident.id)", notice: "Opened incident “\(incident.title)”.")
        }
        pages.post("platform/status/incidents/:incident/updates") { page in
            let id = try page.parameter("incident")
            guard let state = IncidentState(rawValue: page.form["state"] ?? "") else {
                throw PlatformError(.httpBadRequest, "choose a state: \(IncidentState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let incident = try await page.api.send(
                Endpoints.updateIncident, path: IncidentPath(incident: id),
                body: IncidentUpdateRequest(state: state, message: page.form.text("message") ?? (state == .resolved ? "Resolved." : "")))
            let notice = incident.state == .resolved ? "Resolved incident “\(incident.title)”." : "Updated incident “\(incident.title)”: \(incident.state.rawValue)."
            return page.redirect(to: "/console/platform/status#incident-\(incident.id)", notice: notice)
        }

        pages.get("platform/maintenance") { page in
            async let status = page.api.send(Endpoints.getStatus)
            async let windows = page.api.send(Endpoints.listMaintenance)
            return try await page.render(.platformMaintenance, title: "Maintenance", maintenanceModel(windows, components: status.components, page: page))
        }
        pages.post("platform/maintenance") { page in
            let effect = page.form.text("effect").flatMap(MaintenanceEffect.init(rawValue:))
            let window = try await page.api.send(Endpoints.scheduleMaintenance, body: MaintenanceRequest(
                title: page.form.text("title") ?? "", components: page.form.all("components"),
                startsAt: OperatorPageSupport.utc(page.form["startsAt"]) ?? "", endsAt: OperatorPageSupport.utc(page.form["endsAt"]) ?? "",
                effect: effect))
            return page.redirect(to: "/console/platform/maintenance", notice: "Scheduled maintenance “\(window.title)”.")
        }
        pages.post("platform/maintenance/:window/cancel") { page in
            let window = try await page.api.send(Endpoints.cancelMaintenance, path: MaintenanceWindowPath(window: try page.parameter("window")))
            return page.redirect(to: "/console/platform/maintenance", notice: "Cancelled maintenance “\(window.title)”.")
        }
    }

    static func componentChoices(_ components: [ComponentStatus], prefix: String) -> [[String: Any]] {
        components.map { ["id": $0.id, "name": $0.name, "inputId": "\(prefix)-\(OperatorPageSupport.htmlID($0.id))"] }
    }

    static func model(_ status: OperatorStatus, page: ConsoleRequest) -> [String: Any] {
        let names = Dictionary(status.components.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return [
            "overall": status.overall.rawValue,
            "version": status.version,
            "generatedAt": status.generatedAt,
            "components": status.components.map { component -> [String: Any] in
                ["id": component.id, "name": component.name, "kind": component.kind.rawValue, "condition": component.condition.rawValue,
                 "since": component.since, "version": component.version ?? "", "checks": (component.checks ?? []).joined(separator: "; ")]
            },
            "incidents": status.incidents.map { incident -> [String: Any] in
                [
                    "id": incident.id, "title": incident.title, "impact": incident.impact.rawValue, "state": incident.state.rawValue,
                    "open": incident.state != .resolved, "openedAt": incident.openedAt, "resolvedAt": incident.resolvedAt as Any,
                    "components": incident.components.map { names[$0] ?? $0 }.joined(separator: ", "),
                    "latest": incident.timeline.last?.message ?? "",
                    "timeline": incident.timeline.map { ["state": $0.state.rawValue, "message": $0.message, "at": $0.at, "author": $0.author as Any] },
                    "states": IncidentState.allCases.map { ["value": $0.rawValue, "selected": $0 == incident.state] },
                ]
            },
            "hasIncidents": !status.incidents.isEmpty,
            "impacts": IncidentImpact.allCases.map { ["value": $0.rawValue] },
            "componentChoices": componentChoices(status.components, prefix: "incident-component"),
            "canWrite": page.allows("status:incident:write"),
        ]
    }

    static func maintenanceModel(_ windows: [MaintenanceWindow], components: [ComponentStatus], page: ConsoleRequest) -> [String: Any] {
        let now = Timestamp.now()
        return [
            "windows": windows.map { window -> [String: Any] in
                let starts = Timestamp(rfc3339: window.startsAt), ends = Timestamp(rfc3339: window.endsAt)
                let phase = window.cancelled ? "cancelled"
                    : (ends.map { $0 < now } ?? false) ? "ended"
                    : (starts.map { $0 <= now } ?? false) ? "active" : "upcoming"
                return ["id": window.id, "title": window.title, "components": window.components.joined(separator: ", "),
                        "startsAt": window.startsAt, "endsAt": window.endsAt, "effect": window.effect?.rawValue ?? "policy decides",
                        "createdBy": window.createdBy ?? "", "phase": phase, "cancellable": !window.cancelled && phase != "ended"]
            },
            "hasWindows": !windows.isEmpty,
            "componentChoices": componentChoices(components, prefix: "maintenance-component"),
            "effects": MaintenanceEffect.allCases.map { ["value": $0.rawValue] },
            "canWrite": page.allows("status:maintenance:write"),
        ]
    }
}

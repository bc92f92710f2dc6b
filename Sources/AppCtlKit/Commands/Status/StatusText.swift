import PlatformContracts

/// The tables `appctl status`, `incident` and `maintenance` print.
enum StatusText {
    static func components(_ components: [ComponentStatus], operatorView: Bool) -> String {
        let rows = components.map { component in
            [component.id, component.condition.rawValue, component.since]
                + (operatorView ? [component.version ?? "", (component.checks ?? []).filter { !$0.contains(": pass") }.joined(separator: "; ")] : [])
        }
        return TextTable(headers: ["COMPONENT", "CONDITION", "SINCE"] + (operatorView ? ["VERSION", "CHECKS"] : []), rows: rows).render()
    }

    static func incidents(_ incidents: [Incident]) -> String {
        guard !incidents.isEmpty else { return "No incidents." }
        let rows = incidents.map { incident in
            [incident.id, incident.impact.rawValue, incident.state.rawValue, incident.components.joined(separator: ","), incident.title,
             incident.openedAt]
        }
        return TextTable(headers: ["INCIDENT", "IMPACT", "STATE", "COMPONENTS", "TITLE", "OPENED"], rows: rows).render()
    }

    static func incident(_ incident: Incident) -> String {
        var lines = [
            TextTable(headers: ["INCIDENT", incident.id], rows: [
                ["TITLE", incident.title], ["IMPACT", incident.impact.rawValue], ["STATE", incident.state.rawValue],
                ["COMPONENTS", incident.components.joined(separator: ", ")], ["OPENED", incident.openedAt],
                ["RESOLVED", incident.resolvedAt ?? "-"],
            ]).render(),
            "",
        ]
        lines.append(TextTable(headers: ["AT", "STATE", "MESSAGE", "BY"], rows: incident.timeline.map {
            [$0.at, $0.state.rawValue, $0.message, $0.author ?? ""]
        }).render())
        return lines.joined(separator: "\n")
    }

    static func windows(_ windows: [MaintenanceWindow]) -> String {
        guard !windows.isEmpty else { return "No maintenance windows." }
        let rows = windows.map { window in
            [window.id, window.title, window.components.joined(separator: ","), window.startsAt, window.endsAt,
             window.effect?.rawValue ?? "policy", window.cancelled ? "cancelled" : "scheduled"]
        }
        return TextTable(headers: ["WINDOW", "TITLE", "COMPONENTS", "STARTS", "ENDS", "EFFECT", "STATE"], rows: rows).render()
    }

    static func readiness(_ environments: [EnvironmentReadiness]) -> String {
        let rows = environments.flatMap { environment in
            environment.releases.map { release in
                [environment.environment, release.releaseId, release.projectId, release.state.rawValue, release.verificationResult ?? "-",
                 release.failingGates.map(\.rawValue).joined(separator: ",")]
            }
        }
        guard !rows.isEmpty else { return "No releases." }
        return TextTable(headers: ["ENVIRONMENT", "RELEASE", "PROJECT", "STATE", "DECISION", "FAILING GATES"], rows: rows).render()
    }

    static func publicStatus(_ status: PublicStatus) -> String {
        ["OVERALL  \(status.overall.rawValue)", "", components(status.components, operatorView: false), "", incidents(status.incidents), "",
         windows(status.maintenance)].joined(separator: "\n")
    }

    static func operatorStatus(_ status: OperatorStatus) -> String {
        ["OVERALL  \(status.overall.rawValue) (platformd \(status.version))", "", components(status.components, operatorView: true), "",
         incidents(status.incidents), "", windows(status.maintenance), "", readiness(status.readiness)].joined(separator: "\n")
    }
}

import PlatformContracts

/// The one rule for a component's effective condition, used by the monitor's writes, the
/// incident and maintenance writes and the views alike: the worst of its health (from the
/// checks), its open incidents (minor → degraded, major/critical → outage) and, when a
/// window over it is in force, maintenance. The ranks order operational < maintenance <
/// degraded < outage, so a failing check during maintenance still reads as an outage.
enum ComponentConditions {
    /// The effective condition of `component` at `now`, and the cause that decided it.
    static func effective(component: String, health: ComponentCondition, checks: [String], incidents: [Incident],
                          windows: [MaintenanceWindow], now: Timestamp) -> (condition: ComponentCondition, cause: String) {
        var condition = health
        var cause = health == .operational ? "checks pass" : (checks.first { !$0.contains(": pass") } ?? "checks \(health.rawValue)")
        for incident in incidents where incident.state != .resolved && incident.components.contains(component) {
            let implied: ComponentCondition = incident.impact == .minor ? .degraded : .outage
            if implied > condition {
                condition = implied
                cause = "incident: \(incident.title)"
            }
        }
        if condition < .maintenance, let window = windows.first(where: { $0.covers(component, at: now) }) {
            condition = .maintenance
            cause = "maintenance: \(window.title)"
        }
        return (condition, cause)
    }
}

extension MaintenanceWindow {
    /// Whether the window is in force over `component` at `now` (not cancelled, started, not ended).
    func covers(_ component: String, at now: Timestamp) -> Bool {
        isActive(at: now) && components.contains(component)
    }

    /// Not cancelled, and `startsAt ≤ now < endsAt`.
    func isActive(at now: Timestamp) -> Bool {
        guard !cancelled, let start = Timestamp(rfc3339: startsAt), let end = Timestamp(rfc3339: endsAt) else { return false }
        return start <= now && now < end
    }
}

import PlatformContracts

/// Maintenance windows at admission: a window in force over `module:apps` or the launch's
/// `adapter:<name>` refuses the launch (`apps.maintenance_window`, audited as a refusal
/// like every other) or admits it with a warning in the instance's message and launch
/// audit record. The window's own effect decides; a window without one leaves it to the
/// launching project's `maintenance.refuse_launches` flag (default on).
extension InstanceAdmission {
    /// What a warned launch carries.
    struct MaintenanceWarning {
        var text: String
        var details: [String: String]
    }

    /// Refuses or warns for a window in force now over any of `components`; `nil` when there is none.
    /// - Throws: ``ErrorCode/instanceMaintenanceWindow`` (details `window`, `endsAt`) when the effect is refuse.
    func checkMaintenance(_ components: [String], project: Project, snapshot: PolicySnapshot) async throws -> MaintenanceWarning? {
        guard let maintenance, let window = try await maintenance.activeWindow(components: components) else { return nil }
        let effect = window.effect ?? (Self.refusesLaunches(snapshot, project: project) ? .refuse : .warn)
        let affected = window.components.filter { components.contains($0) }.joined(separator: ", ")
        switch effect {
        case .refuse:
            throw PlatformError(
                .instanceMaintenanceWindow,
                "launches onto \(affected) are refused during the maintenance window \"\(window.title)\" until \(window.endsAt); try again after it ends",
                details: ["window": window.id, "endsAt": window.endsAt, "title": String(window.title.prefix(200))])
        case .warn:
            return MaintenanceWarning(
                text: "maintenance window \"\(window.title)\" over \(affected) until \(window.endsAt)",
                details: ["maintenance_window": window.id, "maintenance_ends_at": window.endsAt])
        }
    }

    /// The project's `maintenance.refuse_launches` flag; on when the registry lacks it.
    static func refusesLaunches(_ snapshot: PolicySnapshot, project: Project) -> Bool {
        guard case .flag(let refuse)? = try? snapshot.resolve("maintenance.refuse_launches", project: project.id, tenant: project.tenantId).value
        else { return true }
        return refuse
    }
}

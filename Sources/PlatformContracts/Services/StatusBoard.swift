/// The status and operations contract (implemented by the status shared service).
public protocol StatusBoard: Sendable {
    /// The customer-safe view: no checks, versions, authors (served at `/status`).
    func publicStatus() async throws -> PublicStatus
    /// Everything, with release readiness per environment.
    func operatorStatus() async throws -> OperatorStatus
    /// A component's condition changes, newest first.
    func history(component: String, limit: Int) async throws -> [ComponentHistoryEntry]
    func openIncident(_ request: IncidentRequest, by caller: Caller, requestID: String?) async throws -> Incident
    func updateIncident(_ id: String, _ update: IncidentUpdateRequest, by caller: Caller, requestID: String?) async throws -> Incident
    /// Open incidents first, then resolved ones, newest first.
    func incidents(includeResolved: Bool) async throws -> [Incident]
    func scheduleMaintenance(_ request: MaintenanceRequest, by caller: Caller, requestID: String?) async throws -> MaintenanceWindow
    func cancelMaintenance(_ id: String, by caller: Caller, requestID: String?) async throws -> MaintenanceWindow
    /// Active and upcoming windows (and cancelled ones for the operator).
    func maintenanceWindows() async throws -> [MaintenanceWindow]
}

/// What instance admission asks before placing a launch.
public protocol MaintenanceCalendar: Sendable {
    /// The window in force now over any of `components` (`adapter:<name>` and the always-
    /// affected `module:apps`), or `nil`. Its `effect`, when `nil`, is the launching
    /// project's `maintenance.refuse_launches` policy (admission resolves it).
    func activeWindow(components: [String]) async throws -> MaintenanceWindow?
}

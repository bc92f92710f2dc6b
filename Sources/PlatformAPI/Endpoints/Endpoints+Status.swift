import HTTPTypes
import PlatformContracts

/// The operator's status view. The customer-safe view is `GET /status` (no authentication,
/// JSON or HTML), outside `/v1`.
extension Endpoints {
    public static let getStatus = Endpoint<NoPath, NoQuery, NoBody, OperatorStatus>(
        .getStatus, in: .status, .get, "/v1/status", scope: "status:read",
        summary: "Every component with its checks and version, incidents, maintenance windows and release readiness per environment.")
    public static let getComponentHistory = Endpoint<ComponentPath, NoQuery, NoBody, [ComponentHistoryEntry]>(
        .getComponentHistory, in: .status, .get, "/v1/status/components/\(.component)/history", scope: "status:read",
        summary: "A component's condition changes, newest first.")
    public static let listIncidents = Endpoint<NoPath, NoQuery, NoBody, [Incident]>(
        .listIncidents, in: .status, .get, "/v1/status/incidents", scope: "status:read",
        summary: "Incidents, open first, newest first.")
    public static let openIncident = Endpoint<NoPath, NoQuery, IncidentRequest, Incident>(
        .openIncident, in: .status, .post, "/v1/status/incidents", scope: "status:incident:write",
        summary: "Open an incident over some components; it shows on /status at once.", status: .created)
    public static let updateIncident = Endpoint<IncidentPath, NoQuery, IncidentUpdateRequest, Incident>(
        .updateIncident, in: .status, .post, "/v1/status/incidents/\(.incident)/updates", scope: "status:incident:write",
        summary: "Add to an incident's timeline; state `resolved` resolves it.")
    public static let listMaintenance = Endpoint<NoPath, NoQuery, NoBody, [MaintenanceWindow]>(
        .listMaintenance, in: .status, .get, "/v1/status/maintenance", scope: "status:read",
        summary: "Maintenance windows: active, upcoming and cancelled.")
    public static let scheduleMaintenance = Endpoint<NoPath, NoQuery, MaintenanceRequest, MaintenanceWindow>(
        .scheduleMaintenance, in: .status, .post, "/v1/status/maintenance", scope: "status:maintenance:write",
        summary: "Schedule a maintenance window; launches onto its components are refused or warned during it, as policy says.",
        status: .created)
    public static let cancelMaintenance = Endpoint<MaintenanceWindowPath, NoQuery, NoBody, MaintenanceWindow>(
        .cancelMaintenance, in: .status, .post, "/v1/status/maintenance/\(.window)/cancel", scope: "status:maintenance:write",
        summary: "Cancel a maintenance window.")
}

/// `/v1/status/components/{component}`.
public struct ComponentPath: EndpointPath {
    public static let parameters: [PathParameter] = [.component]
    public var component: String
    public init(component: String) { self.component = component }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) { component = try value(.component) }
    public func value(of parameter: PathParameter) -> String { component }
}

/// `/v1/status/incidents/{incident}`.
public struct IncidentPath: EndpointPath {
    public static let parameters: [PathParameter] = [.incident]
    public var incident: String
    public init(incident: String) { self.incident = incident }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) { incident = try value(.incident) }
    public func value(of parameter: PathParameter) -> String { incident }
}

/// `/v1/status/maintenance/{window}`.
public struct MaintenanceWindowPath: EndpointPath {
    public static let parameters: [PathParameter] = [.window]
    public var window: String
    public init(window: String) { self.window = window }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) { window = try value(.window) }
    public func value(of parameter: PathParameter) -> String { window }
}

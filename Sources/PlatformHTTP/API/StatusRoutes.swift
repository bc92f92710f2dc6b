import Foundation
import PlatformAPI
import PlatformContracts

/// Handlers of the operator status endpoints over ``StatusBoard``. SCAFFOLD: the status owner
/// completes them (and `/status`, the public view, in ``OperationsRoutes``).
extension V1Routes {
    func getStatus(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<OperatorStatus> {
        .value(try await requireStatus().operatorStatus())
    }

    func getComponentHistory(_ input: EndpointInput<ComponentPath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<[ComponentHistoryEntry]> {
        .value(try await requireStatus().history(component: input.path.component, limit: 100))
    }

    func listIncidents(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[Incident]> {
        .value(try await requireStatus().incidents(includeResolved: true))
    }

    func openIncident(_ input: EndpointInput<NoPath, NoQuery, IncidentRequest>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<Incident> {
        .value(try await requireStatus().openIncident(input.body, by: caller, requestID: context.requestID))
    }

    func updateIncident(_ input: EndpointInput<IncidentPath, NoQuery, IncidentUpdateRequest>, _ context: PlatformRequestContext,
                        _ caller: Caller) async throws -> Reply<Incident> {
        .value(try await requireStatus().updateIncident(input.path.incident, input.body, by: caller, requestID: context.requestID))
    }

    func listMaintenance(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[MaintenanceWindow]> {
        .value(try await requireStatus().maintenanceWindows())
    }

    func scheduleMaintenance(_ input: EndpointInput<NoPath, NoQuery, MaintenanceRequest>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<MaintenanceWindow> {
        .value(try await requireStatus().scheduleMaintenance(input.body, by: caller, requestID: context.requestID))
    }

    func cancelMaintenance(_ input: EndpointInput<MaintenanceWindowPath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                           _ caller: Caller) async throws -> Reply<MaintenanceWindow> {
        .value(try await requireStatus().cancelMaintenance(input.path.window, by: caller, requestID: context.requestID))
    }

    func requireStatus() throws(PlatformError) -> any StatusBoard {
        guard let status else { throw PlatformError(.internalError, "this server has no status board") }
        return status
    }
}

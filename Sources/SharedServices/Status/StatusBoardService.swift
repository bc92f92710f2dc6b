import Foundation
import Logging
import PlatformContracts
import PlatformStore
import SQLKit

/// Components (fed by the health checks), incidents and maintenance windows.
/// SCAFFOLD: the status owner replaces every body below.
public struct StatusBoardService: StatusBoard, MaintenanceCalendar {
    let store: SQLStore
    let audit: any TransactionalAuditing
    let policy: any PolicyEvaluator
    let logger: Logger

    /// Creates the board.
    public init(store: SQLStore, audit: any TransactionalAuditing, policy: any PolicyEvaluator, logger: Logger) {
        self.store = store
        self.audit = audit
        self.policy = policy
        self.logger = logger
    }

    static func notBuilt() -> PlatformError { PlatformError(.internalError, "the status board is not built yet") }

    public func publicStatus() async throws -> PublicStatus { throw Self.notBuilt() }
    public func operatorStatus() async throws -> OperatorStatus { throw Self.notBuilt() }
    public func history(component: String, limit: Int) async throws -> [ComponentHistoryEntry] { throw Self.notBuilt() }
    public func openIncident(_ request: IncidentRequest, by caller: Caller, requestID: String?) async throws -> Incident {
        throw Self.notBuilt()
    }
    public func updateIncident(_ id: String, _ update: IncidentUpdateRequest, by caller: Caller, requestID: String?) async throws
        -> Incident { throw Self.notBuilt() }
    public func incidents(includeResolved: Bool) async throws -> [Incident] { throw Self.notBuilt() }
    public func scheduleMaintenance(_ request: MaintenanceRequest, by caller: Caller, requestID: String?) async throws
        -> MaintenanceWindow { throw Self.notBuilt() }
    public func cancelMaintenance(_ id: String, by caller: Caller, requestID: String?) async throws -> MaintenanceWindow {
        throw Self.notBuilt()
    }
    public func maintenanceWindows() async throws -> [MaintenanceWindow] { throw Self.notBuilt() }
    public func activeWindow(components: [String]) async throws -> MaintenanceWindow? { nil }
}

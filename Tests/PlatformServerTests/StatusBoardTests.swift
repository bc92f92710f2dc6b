import Foundation
import Logging
import PlatformContracts
import PlatformStore
import PlatformTestKit
import StatusService
import Synchronization
import Testing

/// The status board over a real store (SQLite, and PostgreSQL when the test server runs):
/// conditions fed by the checks, incidents and windows, each change in the history, and the
/// customer-safe view cached but never stale after this replica's own write.
@Suite("Status board")
struct StatusBoardTests {
    static let operatorCaller = Caller(principalId: "01JSTATUSOPERAT0R000000001", principalName: "ops", principalKind: "user", keyId: "K",
                                       tenantId: nil, projectId: nil,
                                       scopes: ["status:incident:write", "status:maintenance:write"], expiresAt: "2099-01-01T00:00:00Z")
    static let components = [
        MonitoredComponent(id: "database", kind: .dependency, name: "Database", version: "sqlite", checkPrefixes: ["database:"]),
        MonitoredComponent(id: "adapter:local", kind: .adapter, name: "Runtime: local", version: "1.0"),
        MonitoredComponent(id: "module:apps", kind: .module, name: "Apps and launches", version: "1.0"),
    ]

    /// A board over a fresh, migrated store with ``components`` declared.
    static func withBoard(_ backend: ServerBackend = .sqlite,
                          _ body: (StatusBoardService, RecordingAuditor) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory async throws in
            let location: DatabaseLocation = if let url = try await backend.databaseURL() { try DatabaseLocation(url: url) }
                else { .sqlite(path: directory.appending("status.db").path) }
            let store = try await SQLStore.open(location, logger: quietLogger)
            do {
                try await Migrator(store: store, sets: [StatusSchema.migrations], logger: quietLogger).migrate()
                let audit = RecordingAuditor()
                var board = StatusBoardService(store: store, audit: audit, policy: FixedPolicyEvaluator(PolicySnapshot(
                    id: "01JSTATUSP0L1CY00000000001", version: 1, createdAt: .now(), definitions: [:], plans: [:], defaultPlan: "plan.standard")), logger: quietLogger,
                                               publicCacheTTL: .seconds(3600))
                board.components = components
                board.version = "9.9.9"
                try await body(board, audit)
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
        }
    }

    static func pass(_ id: String) -> ComponentObservation { ComponentObservation(component: id, health: .operational, checks: []) }

    @Test("history records each condition change: first observation, a failing check, an incident, its resolution",
          arguments: ServerBackend.enabled)
    func historyOnConditionChange(backend: ServerBackend) async throws {
        try await Self.withBoard(backend) { board, audit in
            try await board.record(Self.components.map { Self.pass($0.id) })
            // The same observation again changes nothing.
            #expect(try await board.record(Self.components.map { Self.pass($0.id) }).isEmpty)
            #expect(try await board.history(component: "database", limit: 10).map(\.condition) == [.operational])

            let failing = ComponentObservation(component: "database", health: .outage,
                                               checks: ["database:responseTime: fail connection refused"])
            #expect(try await board.record([failing, Self.pass("adapter:local"), Self.pass("module:apps")]) == ["database"])
            let history = try await board.history(component: "database", limit: 10)
            #expect(history.map(\.condition) == [.outage, .operational])
            #expect(history.first?.cause == "database:responseTime: fail connection refused")

            let incident = try await board.openIncident(
                IncidentRequest(title: "Launches fail", impact: .major, components: ["module:apps"], message: "We are looking into it"),
                by: Self.operatorCaller, requestID: "req-1")
            #expect(incident.state == .investigating && incident.timeline.count == 1)
            #expect(try await board.history(component: "module:apps", limit: 10).first
                == ComponentHistoryEntry(component: "module:apps", condition: .outage, at: try #require(
                    try await board.history(component: "module:apps", limit: 1).first?.at), cause: "incident: Launches fail"))
            _ = try await board.updateIncident(incident.id, IncidentUpdateRequest(state: .resolved, message: "Fixed"),
                                               by: Self.operatorCaller, requestID: "req-2")
            #expect(try await board.history(component: "module:apps", limit: 10).map(\.condition) == [.operational, .outage, .operational])
            #expect(audit.recorded.map(\.action) == ["status.incident.open", "status.incident.resolve"])
            await #expect(throws: PlatformError.self) {
                try await board.updateIncident(incident.id, IncidentUpdateRequest(state: .monitoring, message: "again"),
                                               by: Self.operatorCaller, requestID: nil)
            }
        }
    }

    /// Readiness reports a test scripts, one per monitor pass.
    final class ScriptedHealth: HealthReporting {
        private let current = Mutex(HealthReport(status: .pass))
        var report: HealthReport {
            get { current.withLock { $0 } }
            set { current.withLock { $0 = newValue } }
        }
        func liveness() async -> HealthReport { HealthReport(status: .pass) }
        func readiness() async -> HealthReport { report }
    }

    @Test("the monitor folds each readiness check into the component it feeds and the history follows a failing check")
    func monitorFeedsComponentsFromChecks() async throws {
        try await Self.withBoard { board, _ in
            let health = ScriptedHealth()
            let monitor = ComponentMonitor(board: board, health: health, interval: .seconds(3600), logger: quietLogger)
            health.report = HealthReport(status: .pass, checks: [
                "database:responseTime": [HealthCheckResult(status: .pass, output: nil)],
                "blobstore:writable": [HealthCheckResult(status: .fail, output: "disk full")],
            ])
            await monitor.pass()
            #expect(try await board.history(component: "database", limit: 5).map(\.condition) == [.operational])
            health.report = HealthReport(status: .fail, checks: [
                "database:responseTime": [HealthCheckResult(status: .fail, output: "connection refused")],
            ])
            await monitor.pass()
            let history = try await board.history(component: "database", limit: 5)
            #expect(history.map(\.condition) == [.outage, .operational])
            #expect(history.first?.cause == "database:responseTime: fail connection refused")
            // A check that feeds no declared component (blobstore here) changes none of them.
            #expect(try await board.history(component: "module:apps", limit: 5).map(\.condition) == [.operational])
            #expect(try await board.operatorStatus().components.first { $0.id == "database" }?.checks == ["database:responseTime: fail connection refused"])
        }
    }

    @Test("an incident shows on the public view at once, without checks, versions or authors; the operator view has them")
    func incidentShowsOnPublicViewWithoutInternals() async throws {
        try await Self.withBoard { board, _ in
            try await board.record([ComponentObservation(component: "database", health: .degraded, checks: ["database:responseTime: warn 900 ms"])])
            let before = try await board.publicStatus()
            #expect(before.incidents.isEmpty && before.overall == .degraded)
            // Cached (TTL 1 h here): a write by this replica still shows on the next read.
            let incident = try await board.openIncident(
                IncidentRequest(title: "Slow launches", impact: .minor, components: ["module:apps"], message: "Investigating"),
                by: Self.operatorCaller, requestID: nil)
            let after = try await board.publicStatus()
            #expect(after.incidents.map(\.id) == [incident.id])
            #expect(after.incidents.first?.timeline.first?.author == nil)
            #expect(after.components.first { $0.id == "module:apps" }?.condition == .degraded)
            #expect(after.components.allSatisfy { $0.checks == nil && $0.version == nil })
            let json = String(decoding: try JSONEncoder().encode(after), as: UTF8.self)
            #expect(!json.contains("900 ms") && !json.contains(Self.operatorCaller.principalId) && !json.contains("9.9.9"))

            let operatorView = try await board.operatorStatus()
            #expect(operatorView.version == "9.9.9")
            #expect(operatorView.components.first { $0.id == "database" }?.checks == ["database:responseTime: warn 900 ms"])
            #expect(operatorView.incidents.first?.timeline.first?.author == Self.operatorCaller.principalId)
        }
    }

    @Test("a window in force puts its components in maintenance and is the calendar's active window until cancelled")
    func maintenanceWindowLifecycle() async throws {
        try await Self.withBoard { board, audit in
            try await board.record(Self.components.map { Self.pass($0.id) })
            let now = Timestamp.now()
            let window = try await board.scheduleMaintenance(
                MaintenanceRequest(title: "Adapter upgrade", components: ["adapter:local"],
                                   startsAt: Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - 1000).rfc3339,
                                   endsAt: Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + 3_600_000).rfc3339),
                by: Self.operatorCaller, requestID: nil)
            #expect(try await board.activeWindow(components: ["module:apps", "adapter:local"])?.id == window.id)
            #expect(try await board.activeWindow(components: ["module:apps", "adapter:slurm"]) == nil)
            #expect(try await board.publicStatus().components.first { $0.id == "adapter:local" }?.condition == .maintenance)
            #expect(try await board.history(component: "adapter:local", limit: 1).first?.cause == "maintenance: Adapter upgrade")

            let cancelled = try await board.cancelMaintenance(window.id, by: Self.operatorCaller, requestID: nil)
            #expect(cancelled.cancelled)
            #expect(try await board.activeWindow(components: ["adapter:local"]) == nil)
            #expect(try await board.publicStatus().maintenance.isEmpty)
            #expect(try await board.maintenanceWindows().map(\.cancelled) == [true])
            #expect(audit.recorded.map(\.action) == ["status.maintenance.schedule", "status.maintenance.cancel"])
        }
    }

    @Test("requests naming unknown components, empty titles or a window that ends before it starts are refused status.request_invalid")
    func invalidRequestsAreRefused() async throws {
        try await Self.withBoard { board, audit in
            for request in [
                IncidentRequest(title: "x", impact: .minor, components: ["module:nowhere"], message: "m"),
                IncidentRequest(title: " ", impact: .minor, components: ["database"], message: "m"),
                IncidentRequest(title: "x", impact: .minor, components: [], message: "m"),
            ] {
                let error = await #expect(throws: PlatformError.self) { try await board.openIncident(request, by: Self.operatorCaller, requestID: nil) }
                #expect(error?.code == .statusRequestInvalid)
            }
            let error = await #expect(throws: PlatformError.self) {
                try await board.scheduleMaintenance(
                    MaintenanceRequest(title: "w", components: ["database"], startsAt: "2099-01-02T00:00:00Z", endsAt: "2099-01-01T00:00:00Z"),
                    by: Self.operatorCaller, requestID: nil)
            }
            #expect(error?.code == .statusRequestInvalid)
            let missing = await #expect(throws: PlatformError.self) {
                try await board.updateIncident("01JNOSUCH1NC1DENT000000000", IncidentUpdateRequest(state: .resolved, message: "m"),
                                               by: Self.operatorCaller, requestID: nil)
            }
            #expect(missing?.code == .statusIncidentNotFound)
            #expect(audit.recorded.isEmpty)
        }
    }
}

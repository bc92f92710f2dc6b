@testable import AppPlatform
import Foundation
import PlatformContracts
import Testing

/// Maintenance windows at admission (issue 20): a window over `module:apps` or the launch's
/// adapter refuses the launch with `apps.maintenance_window` (audited as a refusal) or admits
/// it with a warning, as the window's effect, else the project's `maintenance.refuse_launches`,
/// says; a window over other components changes nothing.
@Suite("Maintenance windows at admission")
struct MaintenanceAdmissionTests {
    /// A calendar with one window in force over its components.
    struct OneWindow: MaintenanceCalendar {
        let window: MaintenanceWindow
        func activeWindow(components: [String]) async throws -> MaintenanceWindow? {
            components.contains { window.components.contains($0) } ? window : nil
        }
    }

    static func window(_ components: [String], effect: MaintenanceEffect? = nil) -> MaintenanceWindow {
        MaintenanceWindow(id: "01JMA1NTENANCEW1ND0W000001", title: "database upgrade", components: components,
                          startsAt: "2026-01-01T00:00:00.000Z", endsAt: "2099-01-01T02:00:00.000Z", effect: effect)
    }

    /// The test policy with `maintenance.refuse_launches` defined as `refuse`.
    static func policy(refuse: Bool) -> PolicySnapshot {
        var snapshot = TestPolicy.snapshot()
        snapshot.definitions["maintenance.refuse_launches"] = PolicyDefinition(
            policyKey: "maintenance.refuse_launches", scope: .project, type: .flag, default: .flag(refuse), description: "refuse")
        return snapshot
    }

    @Test("a window over the adapter refuses a launch with apps.maintenance_window naming the window and its end")
    func maintenanceWindowRefusesALaunchWithAClearError() async throws {
        try await FastTier.with(policy: Self.policy(refuse: true)) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.maintenance = OneWindow(window: Self.window(["adapter:local"]))
            try await tier.restart()
            do {
                let record = try await tier.launch("web")
                Issue.record("admitted \(record.id) during a refusing maintenance window")
            } catch let error as PlatformError {
                #expect(error.code == .instanceMaintenanceWindow)
                #expect(error.details["window"] == "01JMA1NTENANCEW1ND0W000001")
                #expect(error.details["endsAt"] == "2099-01-01T02:00:00.000Z")
                #expect(error.message.contains("database upgrade") && error.message.contains("2099-01-01T02:00:00.000Z"))
            }
            let refusal = try #require(tier.audit.recorded("apps.instance.refuse").last)
            #expect(refusal.details["code"] == "apps.maintenance_window")
            #expect(refusal.details["maintenance_window"] == "01JMA1NTENANCEW1ND0W000001")
            #expect(try await tier.service.list(in: FastTier.project).isEmpty)
        }
    }

    @Test("with maintenance.refuse_launches off the launch is admitted with a warning in its message and audit record")
    func policyOffWarnsInsteadOfRefusing() async throws {
        try await FastTier.with(policy: Self.policy(refuse: false)) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.maintenance = OneWindow(window: Self.window(["module:apps"]))
            try await tier.restart()
            let record = try await tier.launch("web")
            #expect(record.message?.contains("warning: maintenance window \"database upgrade\"") == true, "\(record.message ?? "")")
            let launch = try #require(tier.audit.recorded("apps.instance.launch").last)
            #expect(launch.details["maintenance_window"] == "01JMA1NTENANCEW1ND0W000001")
        }
    }

    @Test("the window's own effect wins over the project's policy")
    func windowEffectOverridesPolicy() async throws {
        try await FastTier.with(policy: Self.policy(refuse: false)) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.maintenance = OneWindow(window: Self.window(["module:apps"], effect: .refuse))
            try await tier.restart()
            await #expect(throws: PlatformError.self) { try await tier.launch("web") }
        }
    }

    @Test("a window over other components leaves launches alone")
    func windowElsewhereAdmits() async throws {
        try await FastTier.with(policy: Self.policy(refuse: true)) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.maintenance = OneWindow(window: Self.window(["adapter:slurm", "module:billing"]))
            try await tier.restart()
            let record = try await tier.launch("web")
            #expect(record.message?.contains("maintenance") != true)
        }
    }
}

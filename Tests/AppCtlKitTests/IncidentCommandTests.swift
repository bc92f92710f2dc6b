import AppCtlKit
import Foundation
import PlatformContracts
import PlatformTestKit
import Testing

/// `appctl incident`, `maintenance` and `status --public|history` against a real server: an
/// incident opened from the CLI is on the public view at once, the history names its cause,
/// and a window is listed, shown publicly and cancelled.
@Suite("appctl incident and maintenance", .tags(.integration))
struct IncidentCommandTests {
    static func decode<T: Decodable>(_ type: T.Type, _ result: CommandHarness.Result) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(result.output.utf8))
    }

    @Test("incident open/update/resolve, status --public and status history, maintenance schedule/list/cancel")
    func incidentAndMaintenanceFlow() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", directory.appending("server/bootstrap-admin.key").path).exitCode == 0)

                let opened = await appctl.run("incident", "open", "--title", "Slurm jobs stuck", "--impact", "major",
                                              "--component", "module:apps", "--message", "Investigating", "-o", "json")
                #expect(opened.exitCode == 0, "\(opened.errorOutput)")
                let incident = try Self.decode(Incident.self, opened)

                let publicView = await appctl.run("status", "--public")
                #expect(publicView.exitCode == 0, "\(publicView.errorOutput)")
                #expect(publicView.output.contains("OVERALL  outage") && publicView.output.contains("Slurm jobs stuck"), "\(publicView.output)")
                #expect(publicView.output.range(of: "module:apps +outage", options: .regularExpression) != nil, "\(publicView.output)")

                let updated = await appctl.run("incident", "update", incident.id, "--state", "identified", "--message", "A hung node")
                #expect(updated.exitCode == 0 && updated.output.contains("identified"), "\(updated.errorOutput)")
                #expect(await appctl.run("incident", "list").output.contains(incident.id))
                let history = await appctl.run("status", "history", "module:apps")
                #expect(history.exitCode == 0 && history.output.contains("incident: Slurm jobs stuck"), "\(history.output)\(history.errorOutput)")
                #expect(await appctl.run("incident", "resolve", incident.id).exitCode == 0)
                #expect(try Self.decode(PublicStatus.self, await appctl.run("status", "--public", "-o", "json")).overall == .operational)

                // The operator view rides along with `appctl status` when the key holds status:read.
                let full = await appctl.run("status")
                #expect(full.exitCode == 0 && full.output.contains("VERSION") && full.output.contains("adapter:local"), "\(full.output)")

                let now = Timestamp.now().millisecondsSinceEpoch
                let scheduled = await appctl.run(
                    "maintenance", "schedule", "--title", "Kernel update", "--component", "adapter:local",
                    "--starts-at", Timestamp(millisecondsSinceEpoch: now + 3_600_000).rfc3339,
                    "--ends-at", Timestamp(millisecondsSinceEpoch: now + 7_200_000).rfc3339, "--effect", "warn", "-o", "json")
                #expect(scheduled.exitCode == 0, "\(scheduled.errorOutput)")
                let window = try Self.decode(MaintenanceWindow.self, scheduled)
                #expect(window.effect == .warn)
                #expect(await appctl.run("maintenance", "list").output.contains("Kernel update"))
                #expect(try Self.decode(PublicStatus.self, await appctl.run("status", "--public", "-o", "json")).maintenance.map(\.id) == [window.id])
                #expect(await appctl.run("maintenance", "cancel", window.id).exitCode == 0)
                #expect(try Self.decode(PublicStatus.self, await appctl.run("status", "--public", "-o", "json")).maintenance.isEmpty)

                let bad = await appctl.run("incident", "open", "--title", "x", "--impact", "minor", "--component", "module:nowhere",
                                           "--message", "m")
                #expect(bad.exitCode != 0 && bad.errorOutput.contains("status.request_invalid"), "\(bad.errorOutput)")
            }
        }
    }
}

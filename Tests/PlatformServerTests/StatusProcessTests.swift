import Foundation
import HTTPTypes
import PlatformContracts
import PlatformTestKit
import Testing

/// The status board through a live server: an incident opened by an operator shows on the
/// unauthenticated `/status` (JSON and the HTML page) at once, without internals; the
/// operator view and the component history sit behind `status:read`.
@Suite("Status over HTTP", .tags(.integration))
struct StatusProcessTests {
    @Test("an incident opened on a component shows on /status, as JSON and as the HTML page", arguments: ServerBackend.enabled)
    func incidentShowsOnPublicStatus(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            // The monitor's first pass declared every component.
            let before = try await fixture.call(.get, "/status", key: nil)
            #expect(before.status == .ok)
            let initial = try before.json(PublicStatus.self)
            #expect(Set(initial.components.map(\.id)).isSuperset(of: ["database", "blob-store", "adapter:local", "module:apps"]))
            #expect(initial.incidents.isEmpty)

            let incident = try await fixture.ok(
                .post, "/v1/status/incidents", key: fixture.adminKey,
                body: ["title": "Launches <slow>", "impact": "major", "components": ["module:apps"], "message": "Investigating"],
                as: Incident.self)
            let reply = try await fixture.call(.get, "/status", key: nil)
            let after = try reply.json(PublicStatus.self)
            #expect(after.incidents.map(\.id) == [incident.id])
            #expect(after.components.first { $0.id == "module:apps" }?.condition == .outage)
            #expect(after.overall == .outage)
            let body = String(decoding: reply.body, as: UTF8.self)
            #expect(!body.contains("\"checks\"") && !body.contains("\"author\"") && !body.contains(PlatformVersion.version))

            for (path, headers) in [("/status?format=html", HTTPFields()),
                                    ("/status", HTTPFields([HTTPField(name: .accept, value: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")]))] {
                let page = try await fixture.call(.get, path, key: nil, headers: headers)
                #expect(page.status == .ok)
                let html = String(decoding: page.body, as: UTF8.self)
                #expect(html.hasPrefix("<!doctype html>"), "\(path)")
                #expect(html.contains("Launches &lt;slow&gt;") && html.contains("Outage"), "\(path)")
            }

            // The operator view and history need status:read; anonymous callers get 401.
            #expect(try await fixture.call(.get, "/v1/status", key: nil).status == .unauthorized)
            let operatorView = try await fixture.ok(.get, "/v1/status", key: fixture.adminKey, as: OperatorStatus.self)
            #expect(operatorView.version == PlatformVersion.version)
            #expect(operatorView.components.first { $0.id == "database" }?.checks?.isEmpty == false)
            let history = try await fixture.ok(.get, "/v1/status/components/module:apps/history", key: fixture.adminKey,
                                               as: [ComponentHistoryEntry].self)
            #expect(history.first?.condition == .outage && history.first?.cause == "incident: Launches <slow>")

            _ = try await fixture.ok(.post, "/v1/status/incidents/\(incident.id)/updates", key: fixture.adminKey,
                                     body: ["state": "resolved", "message": "Fixed"], as: Incident.self)
            let resolved = try await fixture.call(.get, "/status", key: nil).json(PublicStatus.self)
            #expect(resolved.incidents.first?.state == .resolved)
            #expect(resolved.components.first { $0.id == "module:apps" }?.condition == .operational)
        }
    }

    @Test("a maintenance window over module:apps refuses a launch with apps.maintenance_window, naming the window and its end")
    func maintenanceWindowRefusesLaunch() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let (_, project, _, key) = try await fixture.makeProject(tenant: "acme", project: "maint", account: "ci")
            let now = Timestamp.now()
            let window = try await fixture.ok(
                .post, "/v1/status/maintenance", key: fixture.adminKey,
                body: ["title": "Database upgrade", "components": ["module:apps"],
                       "startsAt": Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - 1000).rfc3339,
                       "endsAt": Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + 3_600_000).rfc3339],
                as: MaintenanceWindow.self)
            #expect(try await fixture.call(.get, "/status", key: nil).json(PublicStatus.self).maintenance.map(\.id) == [window.id])
            // The project's maintenance.refuse_launches is on by default; a window over module:apps is decided before the catalog.
            let reply = try await fixture.call(.post, "/v1/projects/\(project.id)/instances", key: key.key, body: ["app": "web"])
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.errorCode == "apps.maintenance_window")
            let text = String(decoding: reply.body, as: UTF8.self)
            #expect(text.contains("Database upgrade") && text.contains(window.endsAt) && text.contains(window.id), "\(text)")

            _ = try await fixture.ok(.post, "/v1/status/maintenance/\(window.id)/cancel", key: fixture.adminKey, as: MaintenanceWindow.self)
            let after = try await fixture.call(.post, "/v1/projects/\(project.id)/instances", key: key.key, body: ["app": "web"])
            #expect(after.errorCode == ErrorCode.appNotFound.rawValue, "with the window cancelled the launch reaches the catalog")
        }
    }
}

import Foundation
import HTTPTypes
import OCIKit
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// The operator pages under `/console/platform/` over a live `platformd` (in process, real
/// sockets, SQLite): incidents opened, updated and resolved through console forms reach the
/// public `/status`; a release without approval shows its approval gate failing with the
/// missing evidence; artifacts show trust, signatures, evidence and provenance, and the API's
/// separation-of-duties refusal shows on the page; tenant keys get the API's refusal.
@Suite("Console operator pages")
struct ConsoleOperatorTests {
    /// The `<tr …>…</tr>` whose opening tag carries `attribute="value"`.
    static func row(_ attribute: String, _ value: String, in html: String) -> String? {
        guard let start = html.range(of: "<tr \(attribute)=\"\(value)\"") else { return nil }
        guard let end = html[start.upperBound...].range(of: "</tr>") else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// The text of the first `<td class="CLASS">` in `row`, tags stripped.
    static func cell(_ cssClass: String, in row: String) -> String? {
        guard let start = row.range(of: "class=\"\(cssClass)\""), let open = row[start.upperBound...].firstIndex(of: ">"),
              let close = row[open...].range(of: "</td>") else { return nil }
        let inner = row[row.index(after: open)..<close.lowerBound]
        return inner.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test("an incident opened, updated and resolved through the console's forms shows on /status and in the incidents table")
    func incidentLifecycleThroughForms() async throws {
        try await withConsole { console in
            let session = try await console.signIn(key: console.adminKey)
            let page = try await console.get("/console/platform/status", session)
            #expect(page.status == .ok, "\(page.body.prefix(600))")
            for id in ["components-table", "incidents-table", "open-incident", "open-incident-submit"] {
                #expect(page.body.contains("id=\"\(id)\""), "\(id)")
            }
            #expect(Self.row("data-component", "module:apps", in: page.body) != nil)

            let opened = try await console.post("/console/platform/status/incidents", [
                "title": "Launches <slow>", "impact": "major", "components": "module:apps", "message": "Investigating launches",
            ], session)
            #expect(opened.status == .seeOther, "\(opened.body.prefix(600))")
            let location = try #require(opened.location)
            #expect(location.hasPrefix("/console/platform/status#incident-"))
            let id = String(location.dropFirst("/console/platform/status#incident-".count))

            let published = try await console.iam.call(.get, "/status", key: nil).json(PublicStatus.self)
            #expect(published.incidents.map(\.id) == [id] && published.incidents.first?.title == "Launches <slow>")
            #expect(published.components.first { $0.id == "module:apps" }?.condition == .outage)

            let flash = try #require(opened.cookieValue("platform_console_flash"), "the redirect carries a notice")
            let listed = try await console.send(.get, "/console/platform/status", cookies: [session.cookieHeader, "platform_console_flash=\(flash)"])
            let row = try #require(Self.row("data-incident", id, in: listed.body))
            #expect(row.contains("Launches &lt;slow&gt;") && !listed.body.contains("Launches <slow>"), "escaped")
            #expect(Self.cell("state", in: row) == "investigating")
            #expect(listed.body.contains("id=\"update-\(id)\"") && listed.body.contains("id=\"resolve-\(id)\""))
            #expect(listed.body.contains("Opened incident"), "the redirect's notice shows once")

            let updated = try await console.post("/console/platform/status/incidents/\(id)/updates",
                                                 ["state": "identified", "message": "A node is out of GPUs"], session)
            #expect(updated.status == .seeOther)
            let afterUpdate = try await console.iam.ok(.get, "/v1/status/incidents", key: console.adminKey, as: [Incident].self)
            #expect(afterUpdate.first { $0.id == id }?.state == .identified)
            #expect(afterUpdate.first { $0.id == id }?.timeline.last?.message == "A node is out of GPUs")
            let shown = try await console.get("/console/platform/status", session)
            #expect(Self.row("data-incident", id, in: shown.body).flatMap { Self.cell("state", in: $0) } == "identified")

            let resolved = try await console.post("/console/platform/status/incidents/\(id)/updates",
                                                  ["state": "resolved", "message": "Resolved."], session)
            #expect(resolved.status == .seeOther)
            let after = try await console.iam.call(.get, "/status", key: nil).json(PublicStatus.self)
            #expect(after.incidents.first { $0.id == id }?.state == .resolved)
            #expect(after.components.first { $0.id == "module:apps" }?.condition == .operational)
            let final = try await console.get("/console/platform/status", session)
            let finalRow = try #require(Self.row("data-incident", id, in: final.body))
            #expect(Self.cell("state", in: finalRow) == "resolved" && !final.body.contains("id=\"resolve-\(id)\""))

            // A form without the session's token is refused and opens nothing.
            let forged = try await console.post("/console/platform/status/incidents",
                                                ["title": "forged", "impact": "minor", "components": "module:apps", "message": "x"],
                                                session, csrf: .some(nil))
            #expect(forged.status == .forbidden && forged.errorCode == "console.csrf_invalid")
            #expect(try await console.iam.ok(.get, "/v1/status/incidents", key: console.adminKey, as: [Incident].self).count == 1)
        }
    }

    @Test("a maintenance window is scheduled and cancelled through the console; the API's validation shows as an error page")
    func maintenanceScheduleAndCancel() async throws {
        try await withConsole { console in
            let session = try await console.signIn(key: console.adminKey)
            let empty = try await console.get("/console/platform/maintenance", session)
            #expect(empty.status == .ok && empty.body.contains("id=\"maintenance-table\"") && empty.body.contains("id=\"schedule-maintenance\""))

            let scheduled = try await console.post("/console/platform/maintenance", [
                "title": "Database upgrade", "components": "database", "startsAt": "2099-01-01T10:00", "endsAt": "2099-01-01T12:00", "effect": "warn",
            ], session)
            #expect(scheduled.status == .seeOther, "\(scheduled.body.prefix(600))")
            let windows = try await console.iam.ok(.get, "/v1/status/maintenance", key: console.adminKey, as: [MaintenanceWindow].self)
            let window = try #require(windows.first)
            #expect(window.title == "Database upgrade" && window.startsAt.hasPrefix("2099-01-01T10:00:00") && window.effect == .warn)

            let listed = try await console.get("/console/platform/maintenance", session)
            let row = try #require(Self.row("data-window", window.id, in: listed.body))
            #expect(Self.cell("phase", in: row) == "upcoming" && listed.body.contains("id=\"cancel-\(window.id)\""))

            let cancelled = try await console.post("/console/platform/maintenance/\(window.id)/cancel", [:], session)
            #expect(cancelled.status == .seeOther)
            let after = try await console.get("/console/platform/maintenance", session)
            #expect(Self.row("data-window", window.id, in: after.body).flatMap { Self.cell("phase", in: $0) } == "cancelled")
            #expect(!after.body.contains("id=\"cancel-\(window.id)\""))

            let backwards = try await console.post("/console/platform/maintenance", [
                "title": "Backwards", "components": "database", "startsAt": "2099-01-02T10:00", "endsAt": "2099-01-01T10:00",
            ], session)
            #expect(backwards.status.code >= 400 && backwards.status.code < 500 && backwards.errorCode != nil, "\(backwards.status)")
        }
    }

    @Test("a production release without approval shows the approval gate failing with the missing evidence; promoting shows the API's refusal")
    func releaseBlockedByMissingApproval() async throws {
        try await withConsole { console in
            let registry = try await RegistryFixture.make(console.iam)
            let (image, _) = try await registry.pushImage(tag: "1.0.0")
            let sha = String(repeating: "5e", count: 20)
            let release = try await console.iam.ok(.post, "/v1/projects/\(registry.project.id)/releases", key: registry.key, body: [
                "environment": "production", "artifacts": [image.digest.description], "sourceSha": sha, "branch": "main",
            ], as: Release.self)
            let session = try await console.signIn(key: console.adminKey)

            let list = try await console.get("/console/platform/releases", session)
            #expect(list.status == .ok, "\(list.body.prefix(600))")
            let row = try #require(Self.row("data-release", release.id, in: list.body))
            #expect(row.contains("production") && row.contains("candidate") && row.contains("/console/platform/releases/\(registry.project.id)/\(release.id)"))

            let detail = try await console.get("/console/platform/releases/\(registry.project.id)/\(release.id)", session)
            #expect(detail.status == .ok, "\(detail.body.prefix(600))")
            #expect(detail.body.contains("id=\"gates-table\"") && detail.body.contains("data-environment=\"production\""))
            let approval = try #require(Self.row("data-gate", "approval-residual-risk", in: detail.body))
            #expect(Self.cell("decision", in: approval) == "fail")
            #expect(Self.cell("missing", in: approval)?.contains("missing approvals (approval)") == true, "\(approval)")
            #expect(ReleaseGate.allCases.allSatisfy { Self.row("data-gate", $0.rawValue, in: detail.body) != nil }, "every gate has a row")

            let promoted = try await console.post("/console/platform/releases/\(registry.project.id)/\(release.id)/promote", [:], session)
            #expect(promoted.status == .conflict)
            #expect(ConsoleFixture.text(of: "refusal-code", in: promoted.body) == "release.gates_failed")
            #expect(promoted.body.contains("id=\"gates-table\""), "the refusal shows on the release page")
            let recorded = try await console.iam.ok(.get, "/v1/projects/\(registry.project.id)/releases/\(release.id)", key: registry.key, as: Release.self)
            #expect(recorded.state == .candidate && recorded.decision?.verificationResult == "FAILED")
        }
    }

    @Test("artifacts show trust state, signatures, evidence and source SHA; production promotion shows the API's refusal; quarantine works")
    func artifactTrustAndSeparationOfDuties() async throws {
        try await withConsole { console in
            let registry = try await RegistryFixture.make(console.iam)
            let (image, _) = try await PromotionDutiesTests.stagedImage(registry)
            let digest = image.digest.description
            let session = try await console.signIn(key: console.adminKey)

            let list = try await console.get("/console/platform/artifacts", session)
            #expect(list.status == .ok, "\(list.body.prefix(600))")
            let row = try #require(Self.row("data-artifact", digest, in: list.body))
            #expect(Self.cell("trust-state", in: row) == "promoted:staging")
            #expect(Self.cell("signatures", in: row)?.hasPrefix("3 valid") == true || Self.cell("signatures", in: row)?.contains("valid") == true, "\(row)")
            #expect(Self.cell("evidence", in: row)?.contains("ready-within") == true, "\(row)")
            #expect(Self.cell("source-sha", in: row) == "0a1b2c3")
            let encodedRepository = registry.repository.replacingOccurrences(of: "/", with: "%2F")
            let detailPath = "/console/platform/artifacts/\(registry.project.id)/\(encodedRepository)/\(digest)"
            #expect(row.contains("href=\"\(detailPath)\""), "\(row)")

            let detail = try await console.get(detailPath, session)
            #expect(detail.status == .ok, "\(detail.body.prefix(600))")
            #expect(ConsoleFixture.text(of: "trust-state", in: detail.body) == "promoted:staging")
            #expect(ConsoleFixture.text(of: "source-sha", in: detail.body) == "0a1b2c3")
            for id in ["signatures-table", "evidence-table", "promote", "quarantine"] { #expect(detail.body.contains("id=\"\(id)\""), "\(id)") }

            // Production needs a passing release decision: the API refuses, and the page says so.
            let refused = try await console.post(detailPath + "/promote", ["to": "promoted:production"], session)
            #expect(refused.status == .conflict, "\(refused.body.prefix(600))")
            #expect(ConsoleFixture.text(of: "refusal-code", in: refused.body) == "release.decision_required")
            #expect(ConsoleFixture.text(of: "trust-state", in: refused.body) == "promoted:staging")

            let quarantined = try await console.post(detailPath + "/quarantine", [:], session)
            #expect(quarantined.status == .seeOther, "\(quarantined.body.prefix(600))")
            let status = try await console.iam.ok(.get, "/v1/projects/\(registry.project.id)/artifacts/\(digest)", key: registry.key,
                                                  as: TrustTests.Status.self)
            #expect(status.state == "quarantined")
            let after = try await console.get(detailPath, session)
            #expect(ConsoleFixture.text(of: "trust-state", in: after.body) == "quarantined" && !after.body.contains("id=\"quarantine\""))
        }
    }

    @Test("the ledger page says verified with every check; an unknown dead letter's retry shows the API's refusal; an empty platform lists no instances")
    func ledgerDeadLettersAndInstances() async throws {
        try await withConsole { console in
            _ = try await console.iam.makeProject(tenant: "acme", project: "web", account: "dev")
            _ = try await console.iam.makeProject(tenant: "globex", project: "ml", account: "dev")
            let session = try await console.signIn(key: console.adminKey)

            let ledger = try await console.get("/console/platform/ledger", session)
            #expect(ledger.status == .ok, "\(ledger.body.prefix(600))")
            #expect(ConsoleFixture.text(of: "ledger-status", in: ledger.body) == "verified")
            #expect(Self.row("data-check", "entries-balanced", in: ledger.body).flatMap { Self.cell("result", in: $0) } == "passed")

            let letters = try await console.get("/console/platform/dead-letters", session)
            #expect(letters.status == .ok && letters.body.contains("id=\"dead-letters-table\"") && letters.body.contains("id=\"no-dead-letters\""))
            let retry = try await console.post("/console/platform/dead-letters/01JUNKNOWNEVENT0000000000/retry", [:], session)
            #expect(retry.status.code == 404 || retry.status.code == 409, "\(retry.status) \(retry.errorCode ?? "")")

            let instances = try await console.get("/console/platform/instances", session)
            #expect(instances.status == .ok && instances.body.contains("id=\"all-instances-table\""), "\(instances.body.prefix(600))")
            #expect(ConsoleFixture.text(of: "instance-count", in: instances.body)?.hasPrefix("0 instances") == true)
        }
    }

    @Test("a dead-lettered intent is listed with its error and retried through the console's form (audited)")
    func deadLetterListedAndRetried() async throws {
        try await withConsole { console in
            let event = "01JF00000000000000000DEAD0"
            // The state a delivery that failed its last attempt leaves behind.
            try await console.server.store.transaction { db in
                try await db.raw("""
                    INSERT INTO outbox_intents (event_id, topic, payload, created_at, available_at, attempts, state, last_error)
                    VALUES ('\(unsafeRaw: event)', 'notification.webhook', '{}', 1, 1, 5, 'dead', 'connection refused')
                    """).run()
            }
            let session = try await console.signIn(key: console.adminKey)
            let page = try await console.get("/console/platform/dead-letters", session)
            #expect(page.status == .ok, "\(page.body.prefix(600))")
            let row = try #require(Self.row("data-event", event, in: page.body))
            #expect(row.contains("connection refused") && row.contains("notification.webhook") && row.contains("id=\"retry-\(event)\""))

            let retried = try await console.post("/console/platform/dead-letters/\(event)/retry", [:], session)
            #expect(retried.status == .seeOther, "\(retried.body.prefix(600))")
            let audit = try await console.iam.ok(.get, "/v1/audit/records?action=notification.deadletter.retry&limit=5", key: console.adminKey,
                                                 as: [AuditRecord].self)
            #expect(audit.map(\.target) == ["outbox/\(event)"])
        }
    }

    @Test("all instances lists every tenant's instances with their tenant, project and phase")
    func allInstancesAcrossTenants() async throws {
        try await withConsole { console in
            var launched: [(id: String, path: String)] = []
            for tenant in ["acme", "globex"] {
                let (_, project, _, key) = try await console.iam.makeProject(tenant: tenant, project: "web", account: "dev-\(tenant)")
                let registry = RegistryFixture(iam: console.iam, key: key.key, repository: "\(project.id.lowercased())/hello", project: project)
                let (image, _) = try await registry.pushImage(tag: "1.0.0")
                // `development` launches need `verified`: a trusted key's provenance, then the move.
                let signer = SigningPrivateKey()
                _ = try await TrustTests.register(registry, signer, name: "ci")
                #expect(try await TrustTests.pushEnvelope(registry, try TrustTests.provenance(registry, about: image.digest, key: signer),
                                                          subject: image).status == .created)
                let verified = try await console.iam.call(.post, "/v1/projects/\(project.id)/artifacts/\(image.digest)/promote", key: key.key,
                                                          body: ["to": "verified"])
                #expect(verified.status == .ok, "\(String(decoding: verified.body, as: UTF8.self))")
                _ = try await console.iam.ok(.post, "/v1/projects/\(project.id)/apps", key: key.key,
                                             body: ["file": "hello.yaml", "manifest": try String(contentsOf: checkoutRoot.appendingPathComponent("manifests/apps/hello.yaml"), encoding: .utf8)], as: AppVersion.self)
                let instance = try await console.iam.ok(.post, "/v1/projects/\(project.id)/instances", key: key.key,
                                                        body: ["app": "hello", "environment": "development"], as: InstanceRecord.self)
                launched.append((instance.id, "\(tenant)/web"))
            }
            let session = try await console.signIn(key: console.adminKey)
            let page = try await console.get("/console/platform/instances", session)
            #expect(page.status == .ok, "\(page.body.prefix(600))")
            #expect(ConsoleFixture.text(of: "instance-count", in: page.body)?.hasPrefix("2 instances") == true)
            for (id, path) in launched {
                let row = try #require(Self.row("data-instance", id, in: page.body), "\(path)")
                #expect(row.contains(path) && row.contains("hello 1.0.0") && row.contains("data-phase-of=\"\(id)\""), "\(row)")
            }
        }
    }

    @Test("a tenant's key gets the API's refusal on every platform page, with its stable code")
    func tenantKeyIsRefused() async throws {
        try await withConsole { console in
            let (_, _, _, key) = try await console.iam.makeProject(tenant: "acme", project: "web", account: "admin", role: "project-admin")
            let session = try await console.signIn(key: key.key)
            let home = try await console.get("/console/", session)
            #expect(!home.body.contains("/console/platform/status"), "the navigation hides the platform section")
            for page in ["status", "maintenance", "releases", "artifacts", "instances", "dead-letters", "ledger"] {
                let answer = try await console.get("/console/platform/\(page)", session)
                #expect(answer.status == .forbidden, "\(page): \(answer.status)")
                #expect(answer.errorCode == "iam.forbidden", "\(page): \(answer.errorCode ?? answer.body.prefix(300).description)")
                #expect(!answer.body.contains("id=\"components-table\""))
            }
            let opened = try await console.post("/console/platform/status/incidents",
                                                ["title": "x", "impact": "minor", "components": "module:apps", "message": "x"], session)
            #expect(opened.status == .forbidden && opened.errorCode == "iam.forbidden")
            #expect(try await console.iam.ok(.get, "/v1/status/incidents", key: console.adminKey, as: [Incident].self).isEmpty)
        }
    }
}

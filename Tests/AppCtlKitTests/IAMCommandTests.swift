import AppCtlKit
import Foundation
import PlatformContracts
import PlatformStore
import SQLKit
import PlatformTestKit
import Testing
import TransparencyLog

@Suite("appctl IAM and audit commands", .tags(.integration))
struct IAMCommandTests {
    @Test("login, tenant, project, service account, key create/rotate/revoke, audit export and verify")
    func fullFlow() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                let keyFile = directory.appending("server/bootstrap-admin.key").path
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                let login = await appctl.run("login", "--key-file", keyFile)
                #expect(login.exitCode == 0, "\(login.errorOutput)")
                #expect(login.output.contains("as bootstrap-admin"))
                #expect(await appctl.run("whoami").output.contains("(platform)"))

                #expect(await appctl.run("tenant", "create", "acme").exitCode == 0)
                let project = try JSONDecoder().decode(
                    Project.self, from: Data(await appctl.run("project", "create", "vision", "--tenant", "acme", "-o", "json").output.utf8))
                #expect(await appctl.run("project", "list", "--tenant", "acme").output.contains("vision"))
                #expect(await appctl.run("serviceaccount", "create", "ci", "--project", project.id, "--role", "developer").exitCode == 0)
                #expect(await appctl.run("serviceaccount", "list", "--project", project.id).output.contains("developer"))
                #expect(await appctl.run("serviceaccount", "create", "ops", "--tenant", "acme", "--role", "tenant-admin").exitCode == 0)
                #expect(await appctl.run("serviceaccount", "list", "--tenant", "acme").output.contains("tenant-admin"))
                #expect(await appctl.run("serviceaccount", "list").exitCode == 64)
                #expect(await appctl.run("serviceaccount", "list", "--tenant", "acme", "--project", project.id).exitCode == 64)

                let created = await appctl.run("key", "create", "--serviceaccount", "ci", "--scope", "apps:instance:launch", "--expires", "30d", "-o", "json")
                #expect(created.exitCode == 0, "\(created.errorOutput)")
                let issued = try JSONDecoder().decode(IssuedKey.self, from: Data(created.output.utf8))
                #expect(issued.key.hasPrefix("pfk_"))
                #expect(!(await appctl.run("key", "list").output.contains(issued.key)))

                let unknown = await appctl.run("key", "create", "--serviceaccount", "ci", "--scope", "apps:*", "--expires", "1d")
                #expect(unknown.exitCode == 65 && unknown.errorOutput.contains("iam.scope_unknown"))
                #expect(await appctl.run("key", "create", "--serviceaccount", "ci", "--scope", "apps:instance:launch", "--expires", "soon").exitCode == 64)

                let whoCI = await appctl.run("whoami", "--token", issued.key)
                #expect(whoCI.output.contains("ci (service_account"))
                let forbidden = await appctl.run("tenant", "list", "--token", issued.key)
                #expect(forbidden.exitCode == 77 && forbidden.errorOutput.contains("iam.forbidden"))

                let rotated = await appctl.run("key", "rotate", issued.info.id, "--overlap", "1m", "-o", "json")
                #expect(rotated.exitCode == 0, "\(rotated.errorOutput)")
                let replacement = try JSONDecoder().decode(IssuedKey.self, from: Data(rotated.output.utf8))
                #expect(await appctl.run("key", "revoke", replacement.info.id).exitCode == 0)
                let revoked = await appctl.run("whoami", "--token", replacement.key)
                #expect(revoked.exitCode == 77 && revoked.errorOutput.contains("revoked"))

                #expect(await appctl.run("audit", "list", "--action", "iam.key.rotate").output.contains("iam.key.rotate"))
                let exportPath = directory.appending("audit.json").path
                #expect(await appctl.run("audit", "export", exportPath).exitCode == 0)
                let verified = await appctl.run("audit", "verify", exportPath)
                #expect(verified.exitCode == 0 && verified.output.hasPrefix("OK:"), "\(verified.output)\(verified.errorOutput)")
                #expect(await appctl.run("audit", "verify").exitCode == 0)

                // Tamper with the exported file: verify names the record and exits 65.
                var export = try JSONDecoder().decode(AuditExport.self, from: Data(contentsOf: URL(fileURLWithPath: exportPath)))
                export.entries[2].record.actor = "someone-else"
                try JSONEncoder().encode(export).write(to: URL(fileURLWithPath: exportPath))
                let tampered = await appctl.run("audit", "verify", exportPath, "-o", "json")
                #expect(tampered.exitCode == 65)
                let report = try JSONDecoder().decode(AuditVerificationReport.self, from: Data(tampered.output.utf8))
                #expect(report.firstBadSequence == 3)

                // Edit a row in the server's database: online verify names it.
                let store = try await SQLStore.open(.sqlite(path: directory.appending("server/platform.db").path), logger: quietLogger)
                try await store.transaction { db in
                    try await db.update("audit_log").set("outcome", to: SQLBind("failure")).where("seq", .equal, 4).run()
                }
                await store.shutdown()
                let online = await appctl.run("audit", "verify")
                #expect(online.exitCode == 65)
                #expect(online.output.contains("FAILED at record 4"), "\(online.output)")
            }
        }
    }
}

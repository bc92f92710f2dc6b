import AppCtlKit
import Crypto
import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing
import TransparencyLog

/// Finding: deleting the newest audit records and rewinding the head and checkpoints left a
/// log that verified, because `verify` trusted the export alone. `appctl audit verify` now
/// remembers the last checkpoint per server and demands an RFC 6962 consistency proof from
/// it, and can pin the checkpoint key.
@Suite("appctl audit verify as a transparency-log monitor", .tags(.integration))
struct AuditMonitorTests {
    /// Deletes every record after `keep` and rewinds the head and checkpoints to it, as an
    /// attacker with the database (and the signing key beside it) would.
    static func truncate(_ databasePath: String, keep: Int64) async throws {
        let store = try await SQLStore.open(.sqlite(path: databasePath), logger: quietLogger)
        try await store.transaction { db in
            let chain = try #require(try await db.select().column("chain_hash").from("audit_log").where("seq", .equal, keep).first())
                .decode(column: "chain_hash", as: String.self)
            try await db.delete(from: "audit_log").where("seq", .greaterThan, keep).run()
            try await db.delete(from: "audit_checkpoints").where("size", .greaterThan, keep).run()
            try await db.update("audit_head").set("size", to: SQLBind(keep)).set("chain_hash", to: SQLBind(chain))
                .where("id", .equal, 1).run()
        }
        await store.shutdown()
    }

    static func headSize(_ databasePath: String) async throws -> Int64 {
        let store = try await SQLStore.open(.sqlite(path: databasePath), logger: quietLogger)
        let size = try await store.read { db in
            try #require(try await db.select().column("size").from("audit_head").where("id", .equal, 1).first()).decode(column: "size", as: Int64.self)
        }
        await store.shutdown()
        return size
    }

    @Test("a truncated log verifies on its own but fails the monitor with audit.log_inconsistent; so does a rewritten one")
    func truncationIsCaught() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                let database = directory.appending("server/platform.db").path
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", directory.appending("server/bootstrap-admin.key").path).exitCode == 0)
                for name in ["acme", "beta", "gamma"] { #expect(await appctl.run("tenant", "create", name).exitCode == 0) }

                let first = await appctl.run("audit", "verify")
                #expect(first.exitCode == 0, "\(first.output)\(first.errorOutput)")
                #expect(first.errorOutput.contains("not pinned"))
                let state = try AuditMonitorState.load(from: directory.appending("appctl/audit-monitor.json").path)
                let remembered = try #require(state.servers[url])
                #expect(remembered.size == (try await Self.headSize(database)))

                // The log grows honestly: the next run proves consistency and moves on.
                #expect(await appctl.run("tenant", "create", "delta").exitCode == 0)
                let second = await appctl.run("audit", "verify")
                #expect(second.exitCode == 0, "\(second.output)\(second.errorOutput)")
                #expect(second.output.contains("consistency proof verified"), "\(second.output)")
                let seen = try #require(try AuditMonitorState.load(from: directory.appending("appctl/audit-monitor.json").path).servers[url])
                #expect(seen.size > remembered.size)

                // The attack: drop the newest records (the tenant creations among them) and rewind.
                try await Self.truncate(database, keep: seen.size - 3)
                let exportPath = directory.appending("truncated.json").path
                #expect(await appctl.run("audit", "export", exportPath).exitCode == 0)
                let alone = await appctl.run("audit", "verify", exportPath)
                #expect(alone.exitCode == 0, "the truncated log is internally consistent: \(alone.output)")
                let caught = await appctl.run("audit", "verify")
                #expect(caught.exitCode == 65, "\(caught.output)\(caught.errorOutput)")
                #expect(caught.errorOutput.contains("audit.log_inconsistent"), "\(caught.errorOutput)")
                #expect(caught.output.contains("FAILED"))
                // A failed run does not move what is remembered.
                #expect(try AuditMonitorState.load(from: directory.appending("appctl/audit-monitor.json").path).servers[url] == seen)

                // Rewritten to the same size (the export's own record replaces a deleted one): the roots differ.
                try await Self.truncate(database, keep: seen.size - 1)
                let rewritten = await appctl.run("audit", "verify", "-o", "json")
                #expect(rewritten.exitCode == 65)
                #expect(rewritten.errorOutput.contains("audit.log_inconsistent"), "\(rewritten.errorOutput)")
                let report = try JSONDecoder().decode(AuditVerificationReport.self, from: Data(rewritten.output.utf8))
                #expect(!report.valid && report.problem?.contains("rewritten") == true, "\(report)")
            }
        }
    }

    @Test("a pinned key that differs from the server's fails with audit.key_mismatch; --key accepts a file")
    func pinnedKeyMismatch() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", directory.appending("server/bootstrap-admin.key").path).exitCode == 0)
                let pinned = await appctl.run("audit", "verify", "--pin-key")
                #expect(pinned.exitCode == 0, "\(pinned.output)\(pinned.errorOutput)")
                #expect(!pinned.errorOutput.contains("not pinned"))
                let statePath = directory.appending("appctl/audit-monitor.json").path
                var state = try AuditMonitorState.load(from: statePath)
                let serverKey = try #require(state.servers[url]?.pinnedKey)
                #expect(serverKey.hasPrefix("platformd"))
                let again = await appctl.run("audit", "verify")
                #expect(again.exitCode == 0 && !again.errorOutput.contains("not pinned"), "\(again.errorOutput)")

                // Someone else's key: the server's checkpoints no longer satisfy the pin.
                let other = NoteKey(name: "platformd", privateKey: Curve25519.Signing.PrivateKey()).verifierKey
                state.servers[url]?.pinnedKey = other
                try state.save(to: statePath)
                let mismatch = await appctl.run("audit", "verify")
                #expect(mismatch.exitCode == 65)
                #expect(mismatch.errorOutput.contains("audit.key_mismatch"), "\(mismatch.errorOutput)")

                // --key overrides the pin; a file holding the right key passes and may re-pin it.
                let keyFile = directory.appending("server.vkey").path
                try serverKey.write(toFile: keyFile, atomically: true, encoding: .utf8)
                let wrongFile = directory.appending("other.vkey").path
                try other.write(toFile: wrongFile, atomically: true, encoding: .utf8)
                #expect(await appctl.run("audit", "verify", "--key", wrongFile).errorOutput.contains("audit.key_mismatch"))
                let repinned = await appctl.run("audit", "verify", "--key", keyFile, "--pin-key")
                #expect(repinned.exitCode == 0, "\(repinned.output)\(repinned.errorOutput)")
                #expect(try AuditMonitorState.load(from: statePath).servers[url]?.pinnedKey == serverKey)
            }
        }
    }
}

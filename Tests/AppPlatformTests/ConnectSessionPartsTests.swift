@testable import AppPlatform
import Foundation
import Logging
import PlatformContracts
import PlatformStore
import Synchronization
import Testing

/// The parts `ConnectService` is split into, each alone: the in-memory live grants and
/// their tunnels, and the repository that holds every statement on the sessions' table.
@Suite("Connect session parts")
struct ConnectSessionPartsTests {
    static let target = ConnectTarget(
        id: "01JINSTANCE000000000000000", projectId: "P", tenantId: "T", phase: .ready, host: "127.0.0.1", ports: ["http": 9000],
        actions: [.init(name: "open", type: "web", endpoint: "http", credentialTTLSeconds: nil, scopes: [])], connectScopes: [])

    static func grant(_ session: String, expiresAtMs: Int64) -> ConnectGrant {
        ConnectGrant(sessionId: session, target: target, action: target.actions[0], principalId: "U", port: 9000,
                     expiresAtMs: expiresAtMs, tokenHash: ConnectSecret.make(session: session).hash)
    }

    @Test func expiringASessionClosesItsTunnelsAndRefusesNewOnes() throws {
        let counts = Mutex<[Int]>([])
        let closed = Mutex(0)
        let live = LiveConnectGrants { count in counts.withLock { $0.append(count) } }
        live.put([Self.grant("S1", expiresAtMs: 1_000), Self.grant("S2", expiresAtMs: 5_000)], loadedAtMs: 0)
        let tunnel = try #require(live.registerTunnel(session: "S1") { closed.withLock { $0 += 1 } })
        _ = try #require(live.registerTunnel(session: "S2") { closed.withLock { $0 += 10 } })
        #expect(live.openTunnels == 2)

        #expect(live.expire(at: 999).isEmpty)
        #expect(live.expire(at: 1_000) == ["S1"])
        #expect(closed.withLock { $0 } == 1)
        #expect(live.grant("S1") == nil && live.grant("S2") != nil && live.openTunnels == 1)
        #expect(live.registerTunnel(session: "S1") {} == nil, "no tunnel may open on an expired session")
        live.unregisterTunnel(session: "S1", id: tunnel)

        live.end(live.sessions(of: Self.target.id))
        #expect(closed.withLock { $0 } == 11 && live.openTunnels == 0 && live.count == 0)
        #expect(counts.withLock { $0 } == [2, 1, 0], "the gauge follows every change of the number of sessions")
    }

    @Test func aLaunchCodeRedeemsOnceAndNotAfterItsExpiry() async throws {
        try await withRepository { repository, audit in
            let code = ConnectSecret.make(session: "01JSESSION0000000000000001")
            let grant = Self.grant("01JSESSION0000000000000001", expiresAtMs: 10_000)
            try await repository.insert(grant, createdAt: "2027-01-01T00:00:00.000Z", launch: (hash: code.hash, expiresMs: 2_000),
                                        audit: Self.event("apps.connect.start"))
            let expired = try await repository.redeemLaunchCode(session: grant.sessionId, codeHash: code.hash, cookieHash: "c0", nowMs: 2_000)
            #expect(!expired)
            #expect(try await repository.redeemLaunchCode(session: grant.sessionId, codeHash: "wrong", cookieHash: "c1", nowMs: 1_000) == false)
            #expect(try await repository.redeemLaunchCode(session: grant.sessionId, codeHash: code.hash, cookieHash: "c2", nowMs: 1_000))
            #expect(try await repository.redeemLaunchCode(session: grant.sessionId, codeHash: code.hash, cookieHash: "c3", nowMs: 1_000) == false)
            #expect(try await repository.unendedGrant(grant.sessionId)?.cookieHash == "c2")
            #expect(audit.recorded("apps.connect.start").count == 1)
        }
    }

    @Test func endedAndExpiredSessionsAreNotLiveAndSayWhy() async throws {
        try await withRepository { repository, audit in
            let (a, b, c) = (Self.grant("01JSESSION000000000000000A", expiresAtMs: 10_000),
                             Self.grant("01JSESSION000000000000000B", expiresAtMs: 10_000),
                             Self.grant("01JSESSION000000000000000C", expiresAtMs: 3_000))
            for grant in [a, b, c] {
                try await repository.insert(grant, createdAt: "2027-01-01T00:00:00.000Z", launch: nil, audit: Self.event("apps.connect.start"))
            }
            let ended = try await repository.end([a.sessionId], at: "2027-01-01T00:01:00.000Z", reason: "revoked by alice") { _ in
                Self.event("apps.connect.revoke")
            }
            #expect(ended.map(\.sessionId) == [a.sessionId])
            // Ending again (another replica, the instance's stop) neither overwrites why it ended nor audits it twice.
            let again = try await repository.end([a.sessionId], at: "2027-01-01T00:02:00.000Z", reason: "instance stopped") { _ in
                Self.event("apps.connect.end")
            }
            #expect(again.isEmpty)
            #expect(audit.recorded("apps.connect.end").isEmpty)
            #expect(try await repository.liveGrants(at: 5_000).map(\.sessionId) == [b.sessionId])
            #expect(try await repository.unendedGrant(a.sessionId) == nil)
            let records = try await repository.list(project: "P", instance: Self.target.id.lowercased(), nowMs: 5_000)
            #expect(Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0.state) })
                    == [a.sessionId: "revoked", b.sessionId: "active", c.sessionId: "expired"])
            #expect(try await repository.record(a.sessionId.lowercased(), nowMs: 5_000)?.endedAt == "2027-01-01T00:01:00.000Z")
            #expect(audit.recorded("apps.connect.revoke").count == 1)
        }
    }

    @Test func noStatementOnTheSessionsTableLivesOutsideItsRepository() throws {
        let connect = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/AppPlatform")
        let files = try #require(FileManager.default.enumerator(atPath: connect.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(files.contains("Connect/ConnectSessionRepository.swift"))
        let offenders = try files.filter { file in
            guard !["Connect/ConnectSessionRepository.swift", "Connect/ConnectSchema.swift"].contains(file) else { return false }
            return try String(contentsOf: connect.appendingPathComponent(file), encoding: .utf8).contains("apps_connect_sessions")
        }
        #expect(offenders.isEmpty, "SQL on apps_connect_sessions outside ConnectSessionRepository: \(offenders)")
    }

    static func event(_ action: String) -> AuditEvent {
        AuditEvent(actor: PrincipalID("U"), action: action, target: "instance/\(target.id)", outcome: .success, requestID: nil,
                   details: [:], project: "P")
    }

    func withRepository(_ body: (ConnectSessionRepository, RecordingAudit) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("connect-repo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Logger(label: "connect-repo") { _ in SwiftLogNoOpLogHandler() }
        let store = try await SQLStore.open(.sqlite(path: directory.appendingPathComponent("platform.db").path), logger: logger)
        do {
            try await Migrator(store: store, sets: [ConnectSchema.migrations], logger: logger).migrate()
            let audit = RecordingAudit()
            try await body(ConnectSessionRepository(store: store, audit: audit, logger: logger), audit)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }
}

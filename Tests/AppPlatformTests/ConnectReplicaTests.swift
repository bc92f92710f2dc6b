@testable import AppPlatform
import Crypto
import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import Synchronization
import Testing

/// Connect sessions on two replicas of one PostgreSQL database: each replica is a
/// ``ConnectService`` with its own connection pool and its own memory, told of the other's
/// ends and changes only through `LISTEN/NOTIFY` (``StoreChannel/connect``), and a third
/// that hears nothing at all, bounded by its freshness budget.
@Suite("Connect sessions across replicas", .tags(.integration, .timing))
struct ConnectReplicaTests {
    @Test("a session opened on A works on B, is refreshed on B and its launch code redeemed on B; a revoke on A closes B's tunnel within 1 s; a replica that hears nothing refuses after its budget",
          .enabled(if: PostgresServer.isEnabled))
    func sessionsAcrossReplicas() async throws {
        try await FastTier.with(database: .postgres) { tier in
            let replicaA = try await ConnectTrafficIdleStopTests.connectService(tier)
            let storeB = try await SQLStore.open(tier.store.location, maxConnections: 4, logger: tier.logger)
            var deafSettings = ConnectService.Settings()
            deafSettings.freshnessBudget = .seconds(5)
            let replicaB = await Self.replica(tier, store: storeB)
            let deaf = await Self.replica(tier, store: storeB, settings: deafSettings)
            let listeners = [Task { await replicaA.hearOtherReplicas() }, Task { await replicaB.hearOtherReplicas() }]
            do {
                try await waitUntil("both replicas listen") { replicaA.live.isListening && replicaB.live.isListening }
                #expect(!deaf.live.isListening, "on PostgreSQL nothing is served from memory before LISTEN is in place")
                deaf.live.setListening(true)  // believes it listens; every notification is lost
                try await tier.register(TestManifests.app("notebook") + ConnectTrafficIdleStopTests.webAction)
                try await tier.pushArtifact()
                let instance = try await tier.launch("notebook")
                try await tier.waitFor(instance.id, .ready)
                try await Self.check(tier, replicaA, replicaB, deaf, instance: instance.id)
            } catch {
                for listener in listeners { listener.cancel() }
                await storeB.shutdown()
                throw error
            }
            for listener in listeners { listener.cancel() }
            await storeB.shutdown()
        }
    }

    static func check(_ tier: FastTier, _ replicaA: ConnectService, _ replicaB: ConnectService, _ deaf: ConnectService,
                      instance: String) async throws {
        let opened = try await replicaA.open(project: FastTier.project, instance: instance, ConnectRequest(action: "open"),
                                             by: FastTier.caller, requestID: nil)
        let token = try #require(opened.token)
        let firstExpiry = try #require(replicaA.live.grant(opened.id)?.expiresAtMs)
        let code = try #require(opened.launchURL.flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "code" }?.value })

        // Opened on A, it works on B, which has never seen it.
        #expect(replicaB.live.grant(opened.id) == nil)
        #expect(try await replicaB.authorize(credential: token, instance: instance, action: "open", requestID: nil).sessionId == opened.id)
        let tunnelClosed = Flag()
        let tunnelB = replicaB.registerTunnel(session: opened.id) { tunnelClosed.raise() }
        #expect(tunnelB != nil)

        // The launch code is redeemed on B; the cookie works on A, whose copy has no cookie yet.
        let cookie = try await replicaB.redeem(session: opened.id, code: code, requestID: nil).cookie
        #expect(try await replicaA.authorize(credential: cookie, instance: instance, action: "open", requestID: nil).sessionId == opened.id)

        // Refreshed on B a minute later: A's copy takes the new expiry from the notification.
        await tier.clock.advance(by: .seconds(60))
        let refreshed = try await replicaB.refresh(project: FastTier.project, session: opened.id, ConnectRefreshRequest(),
                                                   by: FastTier.caller, requestID: nil)
        let newExpiry = try #require(replicaB.live.grant(opened.id)?.expiresAtMs)
        #expect(refreshed.state == "active" && newExpiry > firstExpiry)
        try await waitUntil("A holds the refreshed expiry") { replicaA.live.grant(opened.id)?.expiresAtMs == newExpiry }

        // The deaf replica reads the session once and keeps it.
        _ = try await deaf.authorize(credential: token, instance: instance, action: "open", requestID: nil)
        let deafTunnelClosed = Flag()
        let tunnelDeaf = deaf.registerTunnel(session: opened.id) { deafTunnelClosed.raise() }
        #expect(tunnelDeaf != nil)

        // Revoked on A: B closes its tunnel and refuses, within a second of the answer.
        let askedAt = ContinuousClock.now
        _ = try await replicaA.revoke(project: FastTier.project, session: opened.id, by: FastTier.caller, requestID: nil)
        let revokedAt = ContinuousClock.now
        try await waitUntil("B closes the revoked session's tunnel") { tunnelClosed.isRaised }
        let closedAfter = ContinuousClock.now - revokedAt
        print("figure: connect session revoked on replica A closed its tunnel on replica B \(closedAfter) after the answer, \(ContinuousClock.now - askedAt) after the request (PostgreSQL LISTEN/NOTIFY)")
        #expect(closedAfter < .seconds(1))
        await #expect(throws: PlatformError.self) {
            try await replicaB.authorize(credential: token, instance: instance, action: "open", requestID: nil)
        }
        #expect(tier.audit.recorded("apps.connect.revoke").count == 1, "ended once, audited once")

        // Within its budget the deaf replica still serves its copy; after it, the sweep reads
        // the table, closes the tunnel and the session is refused.
        #expect(try await deaf.authorize(credential: token, instance: instance, action: "open", requestID: nil).sessionId == opened.id)
        #expect(!deafTunnelClosed.isRaised)
        await tier.clock.advance(by: .seconds(5))
        await deaf.revalidate(deaf.live.staleSessions(nowMs: tier.clock.nowMilliseconds()))
        #expect(deafTunnelClosed.isRaised, "the budget bounds a lost notification, tunnels included")
        await #expect(throws: PlatformError.self) {
            try await deaf.authorize(credential: token, instance: instance, action: "open", requestID: nil)
        }
    }

    /// Raised once, by a tunnel's close callback.
    final class Flag: Sendable {
        private let raised = Mutex(false)
        func raise() { raised.withLock { $0 = true } }
        var isRaised: Bool { raised.withLock { $0 } }
    }

    static func replica(_ tier: FastTier, store: SQLStore, settings: ConnectService.Settings = .init()) async -> ConnectService {
        await ConnectService(store: store, identity: tier.authorizer, audit: tier.audit, instances: tier.service,
                             authority: SSHCertificateAuthority(key: Curve25519.Signing.PrivateKey()), settings: settings,
                             clock: tier.clock, logger: tier.logger)
    }
}

import Foundation
import HTTPTypes
@testable import IAMService
import Logging
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import Synchronization
import Testing

/// The IAM read model: what it serves, for how long, and how a revoke reaches every replica.
/// In the timing lane: the 1 s bound is a freshness guarantee measured on the wall clock, so
/// it runs alone, not beside the parallel suites that starve the cooperative pool.
@Suite("IAM read model", .tags(.integration, .timing))
struct IAMReadModelTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let value = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { value.withLock { $0 } }
        func advance(_ duration: Duration) { value.withLock { $0 += duration } }
    }

    static let entry = IAMReadModel.KeyEntry(
        secretHash: "hash", principalId: "p", principalName: "ci", principalKind: "service_account", tenantId: nil,
        projectId: nil, scopes: "", expiresAt: "9999-01-01T00:00:00.000Z", revoked: false, principalDeleted: false)

    @Test("an entry is served within the budget and read again after it; an invalidation drops it; a read begun before one is not kept; nothing is served while not listening")
    func budgetAndInvalidation() {
        let clock = ManualClock()
        let lookups = Mutex<[Bool]>([])
        let model = IAMReadModel(budget: .seconds(5), listening: true, now: { clock.now },
                                 onLookup: { hit, _ in lookups.withLock { $0.append(hit) } })
        #expect(model.key("k") == nil)
        model.store(key: "k", Self.entry, generation: model.generation())
        #expect(model.key("k") != nil)
        clock.advance(.milliseconds(4999))
        #expect(model.key("k") != nil, "within the budget")
        clock.advance(.milliseconds(1))
        #expect(model.key("k") == nil, "at the budget it is read again")

        model.store(key: "k", Self.entry, generation: model.generation())
        model.hear(.notified(""))
        #expect(model.key("k") == nil, "a notification drops it")

        let before = model.generation()
        model.invalidateAll()
        model.store(key: "k", Self.entry, generation: before)
        #expect(model.key("k") == nil, "a read begun before an invalidation is not kept")

        model.hear(.lost)
        model.store(key: "k", Self.entry, generation: model.generation())
        model.store(memberships: [], of: "p", generation: model.generation())
        #expect(model.key("k") == nil && model.memberships(of: "p") == nil, "nothing is cached while not listening")
        model.hear(.listening)
        model.store(key: "k", Self.entry, generation: model.generation())
        #expect(model.key("k") != nil)
        #expect(lookups.withLock { $0 } == [false, true, true, false, false, false, false, false, true])
    }

    @Test("a revoke through the API is refused at once where it was made and within 1 s on a second replica (PostgreSQL LISTEN/NOTIFY); a replica that hears nothing refuses within its budget",
          arguments: ServerBackend.enabled)
    func revokeReachesReplicas(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, _, key) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "ci", role: "developer")
            #expect(try await fixture.call(.get, "/v1/whoami", key: key.key).status == .ok)
            // Replica B: its own store on the same database, its own read models.
            let logger = Logger(label: "replica-b") { _ in SwiftLogNoOpLogHandler() }
            let storeB = try await SQLStore.open(fixture.server.store.location, maxConnections: 2, logger: logger)
            let scopes = fixture.server.identity.authorizer.scopes
            let listening = IAMReadModel(budget: .seconds(60), listening: false)
            let listener = Task { await storeB.listen(.iam, logger: logger) { listening.hear($0) } }
            // A replica whose notifications are all lost: it believes it listens and hears nothing.
            let deafBudget = Duration.seconds(3)
            let deaf = IAMReadModel(budget: deafBudget, listening: true)
            let replicaB = IAMAuthorizer(store: storeB, scopes: scopes, readModel: listening)
            let deafB = IAMAuthorizer(store: storeB, scopes: scopes, readModel: deaf)
            do {
                let deadline = ContinuousClock.now + .seconds(10)
                while !listening.isListening, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                #expect(listening.isListening)
                _ = try await replicaB.authenticate(keyText: key.key)
                _ = try await deafB.authenticate(keyText: key.key)
                let deafCached = ContinuousClock.now

                _ = try await fixture.ok(.post, "/v1/keys/\(key.info.id)/revoke", key: fixture.adminKey, body: [:], as: APIKeyInfo.self)
                // From the moment the revoke's answer arrived: its transaction has committed.
                let revokedAt = ContinuousClock.now
                if backend == .postgres {
                    let refusedAfter = try await Self.refusal(of: key.key, by: replicaB, since: revokedAt, within: .seconds(5))
                    print("figure: IAM revoke on replica A refused on replica B after \(refusedAfter) (PostgreSQL LISTEN/NOTIFY)")
                    #expect(refusedAfter < .seconds(1))
                }
                let here = try await fixture.call(.get, "/v1/whoami", key: key.key)
                #expect(here.errorCode == "iam.key_invalid", "refused at once by the replica that revoked it")
                // The deaf replica serves its cached key until the budget, then reads the revoke.
                if ContinuousClock.now - deafCached < deafBudget - .milliseconds(500) {
                    #expect((try? await deafB.authenticate(keyText: key.key)) != nil, "served from the cache within the budget")
                }
                let deafRefused = try await Self.refusal(of: key.key, by: deafB, since: deafCached, within: deafBudget + .seconds(5))
                print("figure: IAM replica without notifications refused the revoked key \(deafRefused) after caching it (budget \(deafBudget))")
                #expect(deafRefused <= deafBudget + .milliseconds(500))
            } catch {
                listener.cancel()
                await storeB.shutdown()
                throw error
            }
            listener.cancel()
            await storeB.shutdown()
        }
    }

    /// How long after `since` the key was first refused, polling every 10 ms.
    static func refusal(of key: String, by authorizer: IAMAuthorizer, since: ContinuousClock.Instant, within: Duration) async throws -> Duration {
        while ContinuousClock.now - since < within {
            do {
                _ = try await authorizer.authenticate(keyText: key)
            } catch let error as PlatformError where error.code == .iamKeyInvalid {
                return ContinuousClock.now - since
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw PlatformError(.internalError, "the revoked key was still accepted after \(within)")
    }
}

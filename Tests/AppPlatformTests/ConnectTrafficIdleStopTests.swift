@testable import AppPlatform
import ArtifactRegistry
import Crypto
import Foundation
import Logging
import PlatformContracts
import PlatformStore
import RegistryService
import Testing

/// Connect's data plane keeps an instance awake: every credential check the proxy and the
/// tunnels make (bearer token, the cookie a launch code was exchanged for, a tunnel's token)
/// records activity, which postpones the supervisor's idle stop
/// (`lifecycle.idleStopMinutes`). Covered end to end by the real-process suite until its
/// test-only `--idle-minute` flag went; here the minutes pass on the fast tier's manual clock.
@Suite("Connect traffic and idle stop")
struct ConnectTrafficIdleStopTests {
    @Test("proxied connect traffic postpones the idle stop, which comes idleStopMinutes after the traffic stops")
    func connectTrafficPostponesTheIdleStop() async throws {
        try await FastTier.with { tier in
            let connect = try await Self.connectService(tier)
            try await tier.register(TestManifests.app("notebook", idleStopMinutes: 2) + Self.webAction)
            try await tier.pushArtifact()
            let record = try await tier.launch("notebook")
            try await tier.waitFor(record.id, .ready)
            let session = try await connect.open(project: FastTier.project, instance: record.id, ConnectRequest(action: "open"),
                                                 by: FastTier.caller, requestID: nil)
            let token = try #require(session.token)
            let code = try #require(session.launchURL.flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "code" }?.value })

            // Nine minutes of traffic, one check every 90 s: each gap is under the 2 idle
            // minutes, and from the second check on the instance would be stopped without them.
            try await tier.advance(by: .seconds(90))
            let cookie = try await connect.redeem(session: session.id, code: code, requestID: nil).cookie
            _ = try await connect.authorize(credential: cookie, instance: record.id.lowercased(), action: "open", requestID: nil)
            try await tier.advance(by: .seconds(90))
            _ = try await connect.authorize(credential: token, instance: record.id, action: "open", requestID: nil)
            try await tier.advance(by: .seconds(90))
            _ = try await connect.authorizeTunnel(credential: token, session: session.id, requestID: nil)
            for _ in 0..<3 {
                try await tier.advance(by: .seconds(90))
                #expect(try await tier.record(record.id).phase == .ready, "connect traffic 90 s ago keeps it awake")
                _ = try await connect.authorize(credential: cookie, instance: record.id, action: "open", requestID: nil)
            }
            let lastTraffic = tier.clock.nowMilliseconds()
            #expect(try await tier.record(record.id).phase == .ready, "\(lastTraffic) ms: 9 min after start, traffic all along")

            // The traffic stops: the idle stop comes 2 minutes after the last check.
            try await tier.advance(by: .seconds(119))
            #expect(try await tier.record(record.id).phase == .ready, "1 s short of 2 idle minutes after the last traffic")
            try await tier.advance(by: .seconds(2))
            try await tier.waitFor(record.id, .stopped)
            let stop = try #require(tier.audit.recorded("apps.instance.stop").last)
            #expect(stop.actor.rawValue == "platformd" && stop.details["message"]?.hasPrefix("idle: no connect activity for 2 min") == true)
        }
    }

    /// A web connect action on the test app's `http` endpoint, appended at the manifest's top level.
    static let webAction = """
    connect:
      - name: open
        type: web
        endpoint: http

    """

    /// A connect service over the tier's instances and store, on the tier's clock. Its
    /// ``ConnectService/run()`` is not started: its expiry loop would be a second sleeper on
    /// the manual clock, which the tier's idle detection counts on being the supervisor's.
    static func connectService(_ tier: FastTier) async throws -> ConnectService {
        try await Migrator(store: tier.store, sets: [AppCatalogSchema.migrations, ArtifactSchema.migrations, InstanceSchema.migrations,
                                                     ConnectSchema.migrations, OutboxSchema.migrations, VolumeSchema.migrations], logger: tier.logger).migrate()
        return await ConnectService(store: tier.store, identity: tier.authorizer, audit: tier.audit, instances: tier.service,
                                    authority: SSHCertificateAuthority(key: Curve25519.Signing.PrivateKey()), clock: tier.clock,
                                    logger: tier.logger)
    }
}

@testable import AppPlatform
import Crypto
import Foundation
import PlatformContracts
import PlatformStore
import Testing

/// A web action's `pathPrefix` reaches the data plane: the grant a session's credential
/// opens says whether the proxy strips `/i/{instance}/{action}` (the default) or keeps it,
/// and a restarted server (a new ``ConnectService`` over the same store, which reloads the
/// live sessions from the database) still knows, on SQLite and PostgreSQL.
@Suite("Connect path prefix (keep or strip)")
struct ConnectPathPrefixTests {
    /// Two web actions on the test app's `http` endpoint: `open` with the default, `lab` with `keep`.
    static let actions = """
    connect:
      - name: open
        type: web
        endpoint: http
      - name: lab
        type: web
        endpoint: http
        pathPrefix: keep

    """

    @Test("a keep action's sessions carry keep and an action without pathPrefix strip, also after a restart",
          arguments: FastTier.Database.enabled)
    func grantsCarryThePathPrefix(database: FastTier.Database) async throws {
        try await FastTier.with(database: database) { tier in
            let connect = try await ConnectTrafficIdleStopTests.connectService(tier)
            try await tier.register(TestManifests.app("notebook") + Self.actions)
            try await tier.pushArtifact()
            let record = try await tier.launch("notebook")
            try await tier.waitFor(record.id, .ready)
            var tokens: [String: String] = [:]
            for action in ["open", "lab"] {
                let session = try await connect.open(project: FastTier.project, instance: record.id, ConnectRequest(action: action),
                                                     by: FastTier.caller, requestID: nil)
                tokens[action] = session.token
            }
            let open = try await connect.authorize(credential: tokens["open"], instance: record.id, action: "open", requestID: nil)
            let lab = try await connect.authorize(credential: tokens["lab"], instance: record.id, action: "lab", requestID: nil)
            #expect(open.pathPrefix == .strip && lab.pathPrefix == .keep)

            let restarted = await ConnectService(store: tier.store, identity: tier.authorizer, audit: tier.audit, instances: tier.service,
                                                 authority: SSHCertificateAuthority(key: Curve25519.Signing.PrivateKey()),
                                                 clock: tier.clock, logger: tier.logger)
            let reloaded = try await restarted.authorize(credential: tokens["lab"], instance: record.id, action: "lab", requestID: nil)
            #expect(reloaded.pathPrefix == .keep, "the session's row keeps its path handling")
            let reloadedOpen = try await restarted.authorize(credential: tokens["open"], instance: record.id, action: "open", requestID: nil)
            #expect(reloadedOpen.pathPrefix == .strip)
        }
    }

    @Test("keep sends the whole path and no X-Forwarded-Prefix; strip sends the rest and names the prefix it removed")
    func upstreamPathMapping() {
        let prefix = "/i/01JINSTANCE/lab"
        #expect(ConnectPathPrefix.strip.upstreamPath(prefix: prefix, rest: "/api/kernels") == "/api/kernels")
        #expect(ConnectPathPrefix.keep.upstreamPath(prefix: prefix, rest: "/api/kernels") == "/i/01JINSTANCE/lab/api/kernels")
        #expect(ConnectPathPrefix.strip.upstreamPath(prefix: prefix, rest: "") == "/")
        #expect(ConnectPathPrefix.keep.upstreamPath(prefix: prefix, rest: "") == "/i/01JINSTANCE/lab/")
        #expect(ConnectPathPrefix.keep.upstreamPath(prefix: prefix, rest: "/") == "/i/01JINSTANCE/lab/")
        #expect(ConnectPathPrefix.keep.upstreamPath(prefix: prefix, rest: "/tree%20x/") == "/i/01JINSTANCE/lab/tree%20x/")
        #expect(ConnectPathPrefix.strip.forwardedPrefix(prefix) == prefix && ConnectPathPrefix.keep.forwardedPrefix(prefix) == nil)
    }
}

/// The health probes of an endpoint behind a `pathPrefix: keep` action are made under the
/// action's prefix, where such an app serves; without `keep` they stay at the manifest's path.
@Suite("Connect path prefix and health probes")
struct ConnectPathPrefixProbeTests {
    static let keptLab = """
    connect:
      - name: lab
        type: web
        endpoint: http
        pathPrefix: keep

    """

    @Test("readiness of an endpoint behind a keep action is probed at /i/{id}/{action}/healthz, not /healthz")
    func readinessUnderTheKeptPrefix() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("notebook") + Self.keptLab)
            try await tier.register(TestManifests.app("plain") + ConnectTrafficIdleStopTests.webAction)
            try await tier.pushArtifact()
            tier.prober.ready = false
            let kept = try await tier.launch("notebook")
            let plain = try await tier.launch("plain")
            tier.prober.answer("/i/\(kept.id)/lab/healthz", true)
            tier.prober.answer("/i/\(plain.id)/open/healthz", true)
            try await tier.waitFor(kept.id, .running)
            try await tier.advance(by: .seconds(5))
            try await tier.waitFor(kept.id, .ready)
            #expect(try await tier.record(plain.id).phase == .running, "a strip action's app is still probed at /healthz, which says no")
            tier.prober.answer("/healthz", true)
            try await tier.advance(by: .seconds(5))
            try await tier.waitFor(plain.id, .ready)
        }
    }
}
